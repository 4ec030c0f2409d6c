using System.Text.Json.Nodes;
using McpLambda.Runtime.Protocol;
using ModelContextProtocol.Protocol;

namespace McpLambda.Runtime.JsonRpc;

/// <summary>
/// The requests whose params the runtime reads itself (not only passes to the server) and the shape they must
/// have: MCP params are always an object, and reading an array or a scalar as one would throw.
/// </summary>
internal static class RuntimeReadParams
{
    /// <summary>The <c>Invalid params</c> answer to <paramref name="request"/> when the runtime reads its params and they are not an object; else null.</summary>
    public static JsonRpcError? Reject(JsonRpcRequest request)
        => request.Method == RequestMethods.Initialize && request.Params is { } parameters and not JsonObject
            ? JsonRpcMessages.Error(request.Id, JsonRpcErrorCodes.InvalidParams,
                $"Invalid params: the params of '{request.Method}' must be an object, not {parameters.GetValueKind().ToString().ToLowerInvariant()}.")
            : null;
}
