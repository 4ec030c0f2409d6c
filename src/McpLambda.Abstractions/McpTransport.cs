namespace McpLambda;

/// <summary>The ways an MCP client can reach a function-hosted server.</summary>
public enum McpTransport
{
    /// <summary>Amazon API Gateway REST API, Lambda proxy integration (payload format 1.0).</summary>
    ApiGateway = 0,

    /// <summary>Amazon API Gateway HTTP API (payload format 2.0).</summary>
    HttpApi = 1,

    /// <summary>A Lambda function URL (payload format 2.0), usually with <c>AWS_IAM</c> auth.</summary>
    FunctionUrl = 2,

    /// <summary>A Lambda target of an Amazon Bedrock AgentCore Gateway.</summary>
    BedrockAgentCoreGateway = 3,

    /// <summary>The Lambda Invoke API: the event is a JSON-RPC message.</summary>
    LambdaInvoke = 4,
}
