using McpLambda.Runtime.AgentCore;
using McpLambda.Runtime.EventAdapters;

namespace McpLambda.Runtime;

/// <summary>
/// The event translations generated code picks from, one per <c>McpTransport</c> way in, named as the enum names
/// them. The adapters themselves are internal: what they are made of is not part of the public API.
/// </summary>
public static class McpEventAdapters
{
    /// <summary>API Gateway REST API, Lambda proxy integration (payload 1.0).</summary>
    public static LambdaEventAdapter ApiGateway => ApiGatewayRestEventAdapter.Instance;

    /// <summary>API Gateway HTTP API (payload 2.0).</summary>
    public static LambdaEventAdapter HttpApi => HttpApiEventAdapter.Instance;

    /// <summary>Lambda function URL (payload 2.0).</summary>
    public static LambdaEventAdapter FunctionUrl => FunctionUrlEventAdapter.Instance;

    /// <summary>Bedrock AgentCore Gateway Lambda target.</summary>
    public static LambdaEventAdapter BedrockAgentCoreGateway => AgentCoreGatewayEventAdapter.Instance;

    /// <summary>Lambda Invoke API: the event is a JSON-RPC message or batch.</summary>
    public static LambdaEventAdapter LambdaInvoke => LambdaInvokeEventAdapter.Instance;

    /// <summary>Several ways in on one function: each event goes to the first adapter that recognises its shape.</summary>
    /// <param name="adapters">The ways in, in the order they are tried.</param>
    public static LambdaEventAdapter Composite(params LambdaEventAdapter[] adapters) => new CompositeEventAdapter(adapters);
}
