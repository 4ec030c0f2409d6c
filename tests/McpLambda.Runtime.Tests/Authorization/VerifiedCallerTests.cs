using System.Text;
using McpLambda.Runtime.Http;
using McpLambda.Runtime.Invocations;
using McpLambda.Runtime.JsonRpc;
using McpLambda.Runtime.StreamableHttp;
using ModelContextProtocol.Protocol;

namespace McpLambda.Runtime.Tests.Authorization;

/// <summary>
/// The caller a valid access token speaks for travels with its invocation to whatever answers the message (the bridge,
/// which starts per-caller servers by it); a request the resource server refuses reaches nothing.
/// </summary>
public sealed class VerifiedCallerTests
{
    private readonly TestIssuer _issuer = new();

    [Fact]
    public async Task The_verified_caller_reaches_the_message_handler_on_its_invocation_and_a_refused_request_reaches_nothing()
    {
        var handler = new CallerRecordingHandler();
        var http = new StreamableHttpHandler(new McpMessageDispatcher(handler), null, _issuer.ResourceServer());

        var answered = await http.HandleAsync(ToolCall(_issuer.Token(token => token.Claims["sub"] = "bob-0001")), InvocationContext.Outside());
        var refused = await http.HandleAsync(ToolCall(token: null), InvocationContext.Outside());

        Assert.Equal(200, answered.StatusCode);
        var caller = Assert.Single(handler.Callers);
        Assert.Equal("bob-0001", caller?.Subject);
        Assert.Equal("client-1", caller?.ClientId);
        Assert.Equal(401, refused.StatusCode);
        Assert.Single(handler.Callers);
    }

    private static BufferedHttpRequest ToolCall(string? token)
    {
        var headers = new HttpHeaderCollection();
        headers.Set("Host", "fn.example");
        headers.Set("X-Forwarded-Proto", "https");
        headers.Set("Content-Type", "application/json");
        headers.Set("Accept", "application/json, text/event-stream");
        if (token is not null)
        {
            headers.Set("Authorization", "Bearer " + token);
        }

        return new BufferedHttpRequest("POST", "/mcp", headers,
            Encoding.UTF8.GetBytes("""{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"echo","arguments":{}}}"""));
    }

    /// <summary>Answers every request, noting the caller its invocation carries.</summary>
    private sealed class CallerRecordingHandler : IMcpMessageHandler
    {
        private readonly List<CallerIdentity?> _callers = [];

        public IReadOnlyList<CallerIdentity?> Callers
        {
            get
            {
                lock (_callers)
                {
                    return [.. _callers];
                }
            }
        }

        public ValueTask<JsonRpcMessage?> HandleAsync(JsonRpcMessage message, IClientMessageSink? client, InvocationContext invocation)
        {
            lock (_callers)
            {
                _callers.Add(invocation.Caller);
            }

            return ValueTask.FromResult<JsonRpcMessage?>(new JsonRpcResponse { Id = ((JsonRpcRequest)message).Id, Result = new System.Text.Json.Nodes.JsonObject() });
        }
    }
}
