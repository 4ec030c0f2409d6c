using System.Text.Json.Nodes;
using McpLambda.Runtime.JsonRpc;
using ModelContextProtocol.Protocol;
using McpLambda.Runtime.Protocol;
using McpLambda.Runtime.Invocations;

namespace McpLambda.Runtime.Tests.Fuzzing;

/// <summary>
/// A fast in-process MCP server for fuzzing: answers every request at once, so the cases measure the runtime's
/// translation and rules, not a child process. Methods starting with <see cref="ErrorPrefix"/> get -32601;
/// <c>tools/call</c> gets a <c>CallToolResult</c> (with <c>isError</c> for the tool <see cref="FailingTool"/>).
/// </summary>
internal sealed class EchoMessageHandler : IMcpMessageHandler
{
    public const string ErrorPrefix = "x-error/";

    public const string FailingTool = "fails";

    public ValueTask<JsonRpcMessage?> HandleAsync(JsonRpcMessage message, IClientMessageSink? client, InvocationContext invocation)
        => ValueTask.FromResult(message is JsonRpcRequest request ? Answer(request) : null);

    private static JsonRpcMessage Answer(JsonRpcRequest request)
    {
        if (request.Method.StartsWith(ErrorPrefix, StringComparison.Ordinal))
        {
            return new JsonRpcError { Id = request.Id, Error = new JsonRpcErrorDetail { Code = JsonRpcErrorCodes.MethodNotFound, Message = "Method not found" } };
        }

        if (request.Method == RequestMethods.ToolsCall)
        {
            var failing = request.Params is JsonObject p && p["name"] is JsonValue name && name.TryGetValue<string>(out var n) && n == FailingTool;
            return new JsonRpcResponse
            {
                Id = request.Id,
                Result = new JsonObject
                {
                    ["content"] = new JsonArray(new JsonObject { ["type"] = "text", ["text"] = failing ? "tool failed" : "ok" }),
                    ["isError"] = failing,
                },
            };
        }

        return new JsonRpcResponse { Id = request.Id, Result = new JsonObject { ["method"] = request.Method } };
    }
}
