using McpLambda.Runtime.RuntimeApi;

namespace McpLambda.Runtime.AgentCore;

/// <summary>
/// An invocation from a Bedrock AgentCore Gateway that the function answers with a Lambda function
/// error rather than a result. The gateway then reports the tool call as failed to its MCP client.
/// </summary>
/// <remarks>
/// Each kind of failure is its own exception type with its own <see cref="InvocationErrorException.ErrorType"/>
/// (<c>AgentCore.MissingToolName</c>, …), which is the <c>errorType</c> of the invocation error.
/// </remarks>
internal abstract class AgentCoreGatewayException : InvocationErrorException
{
    private protected AgentCoreGatewayException(string errorType, string message, Exception? inner = null)
        : base(errorType, message, inner)
    {
    }
}

/// <summary>
/// The client context has no <c>custom.bedrockAgentCoreToolName</c> (or there is no client context):
/// the invocation did not come from an AgentCore Gateway, or came through the managed .NET runtime's
/// stream handler, which cannot see the client context.
/// </summary>
internal sealed class AgentCoreMissingToolNameException(string message)
    : AgentCoreGatewayException("AgentCore.MissingToolName", message);

/// <summary>The <c>Lambda-Runtime-Client-Context</c> is not a JSON object of the documented shape.</summary>
internal sealed class AgentCoreMalformedClientContextException(string message, Exception? inner = null)
    : AgentCoreGatewayException("AgentCore.MalformedClientContext", message, inner);

/// <summary>
/// <c>bedrockAgentCoreToolName</c> is not of the form <c>&lt;target name&gt;___&lt;tool name&gt;</c>
/// with a non-empty tool name.
/// </summary>
internal sealed class AgentCoreInvalidToolNameException(string message)
    : AgentCoreGatewayException("AgentCore.InvalidToolName", message);

/// <summary>The event, which holds the tool's arguments, is not a JSON object.</summary>
internal sealed class AgentCoreInvalidEventException(string message, Exception? inner = null)
    : AgentCoreGatewayException("AgentCore.InvalidEvent", message, inner);

/// <summary>The wrapped server has no tool of the requested name.</summary>
internal sealed class AgentCoreUnknownToolException(string toolName, string message)
    : AgentCoreGatewayException("AgentCore.UnknownTool", message)
{
    /// <summary>The tool name the gateway asked for, without its target prefix.</summary>
    public string ToolName { get; } = toolName;
}

/// <summary>The tool ran and reported failure (<c>isError: true</c>); the message is its text content.</summary>
internal sealed class AgentCoreToolErrorException(string toolName, string message)
    : AgentCoreGatewayException("AgentCore.ToolError", message)
{
    /// <summary>The tool that failed.</summary>
    public string ToolName { get; } = toolName;
}

/// <summary>
/// The wrapped server answered <c>tools/call</c> with a JSON-RPC error other than an unknown tool
/// (it crashed, timed out, could not start, or refused the request).
/// </summary>
internal sealed class AgentCoreServerErrorException(int code, string message)
    : AgentCoreGatewayException("AgentCore.ServerError", message)
{
    /// <summary>The JSON-RPC error code.</summary>
    public int Code { get; } = code;
}
