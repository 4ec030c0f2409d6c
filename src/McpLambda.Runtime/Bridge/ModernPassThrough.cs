using System.Text.Json.Nodes;
using McpLambda.Runtime.Invocations;
using McpLambda.Runtime.JsonRpc;
using McpLambda.Runtime.Protocol;
using ModelContextProtocol.Protocol;

namespace McpLambda.Runtime.Bridge;

/// <summary>
/// Answers modern (MCP 2026-07-28) requests with a modern server (one whose <c>server/discover</c> answer at start lists
/// 2026-07-28): the request goes to it as the client sent it, <c>_meta</c>, <c>inputResponses</c> and
/// <c>requestState</c> included, and its result comes back as it gave it; its <c>InputRequiredResult</c>s and their
/// state are its own. Only its <c>server/discover</c> answer becomes the function's (see <see cref="ModernBridge.AsFunctions"/>).
/// </summary>
internal static class ModernPassThrough
{
    /// <summary>Passes <paramref name="request"/> to <paramref name="server"/>; <paramref name="client"/> gets its notifications.</summary>
    public static async Task<JsonRpcMessage> AnswerAsync(StdioServerConnection server, JsonRpcRequest request, IClientMessageSink? client, InvocationContext invocation)
    {
        var answer = await server.CallerRequestAsync(request.Method, request.Params, client, invocation).ConfigureAwait(false);
        switch (answer)
        {
            case JsonRpcResponse { Result: var result }:
                if (request.Method == RequestMethods.ServerDiscover && result is JsonObject discover)
                {
                    var functions = discover.DeepClone().AsObject();
                    ModernBridge.AsFunctions(functions);
                    result = functions;
                }

                return new JsonRpcResponse { Id = request.Id, Result = result };
            case JsonRpcError { Error: var error }:
                var refused = new JsonRpcError { Id = request.Id, Error = error };
                return HttpStatusOf(error.Code) is { } status ? refused.WithHttpStatus(status) : refused;
            default:
                return JsonRpcMessages.Error(request.Id, JsonRpcErrorCodes.InternalError, "The MCP server sent an answer of an unknown kind.");
        }
    }

    /// <summary>The HTTP status MCP 2026-07-28 gives a server's error: 404 for an unknown method, 400 for a bad request; else none (200).</summary>
    private static int? HttpStatusOf(int code) => code switch
    {
        JsonRpcErrorCodes.MethodNotFound => 404,
        JsonRpcErrorCodes.InvalidParams or JsonRpcErrorCodes.HeaderMismatch or JsonRpcErrorCodes.MissingRequiredClientCapability
            or JsonRpcErrorCodes.UnsupportedProtocolVersion => 400,
        _ => null,
    };
}
