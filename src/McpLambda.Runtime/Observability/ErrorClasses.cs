using System.Text.Json.Nodes;
using McpLambda.Runtime.Protocol;
using ModelContextProtocol.Protocol;

namespace McpLambda.Runtime.Observability;

/// <summary>
/// The few classes an answer's error falls in, a dimension small enough to alarm on: the JSON-RPC codes the spec
/// reserves, the implementation-defined server range (the MCP SDKs put "connection closed" and "timed out" there), and
/// a tool's own failure (<c>isError: true</c> in a successful response).
/// </summary>
internal static class ErrorClasses
{
    /// <summary>-32700 and -32600: the client sent something that is not a valid request.</summary>
    public const string InvalidRequest = "InvalidRequest";

    /// <summary>-32601.</summary>
    public const string MethodNotFound = "MethodNotFound";

    /// <summary>-32602.</summary>
    public const string InvalidParams = "InvalidParams";

    /// <summary>-32603: the server could not answer (it crashed, could not start, or the answer was too large).</summary>
    public const string InternalError = "InternalError";

    /// <summary>-32000 to -32099: connection closed, timed out, and servers' own conditions.</summary>
    public const string ServerError = "ServerError";

    /// <summary>A <c>tools/call</c> result with <c>isError: true</c>.</summary>
    public const string ToolError = "ToolError";

    /// <summary>Any other code.</summary>
    public const string Other = "Other";

    /// <summary>The error class and JSON-RPC code of <paramref name="answer"/>; both null when it is a success.</summary>
    public static (string? Class, int? Code) Of(JsonRpcMessage? answer) => answer switch
    {
        JsonRpcError { Error.Code: var code } => (ForCode(code), code),
        JsonRpcResponse { Result: JsonObject result } when result["isError"] is JsonValue flag && flag.TryGetValue<bool>(out var isError) && isError
            => (ToolError, null),
        _ => (null, null),
    };

    private static string ForCode(int code) => code switch
    {
        JsonRpcErrorCodes.ParseError or JsonRpcErrorCodes.InvalidRequest => InvalidRequest,
        JsonRpcErrorCodes.MethodNotFound => MethodNotFound,
        JsonRpcErrorCodes.InvalidParams => InvalidParams,
        JsonRpcErrorCodes.InternalError => InternalError,
        >= -32099 and <= -32000 => ServerError,
        _ => Other,
    };
}
