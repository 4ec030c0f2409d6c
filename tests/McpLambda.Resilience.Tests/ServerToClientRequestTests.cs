using System.Collections.Concurrent;
using System.Text;
using System.Text.Json.Nodes;
using McpLambda.Runtime.Bridge;
using McpLambda.Runtime.Http;
using McpLambda.Runtime.JsonRpc;
using McpLambda.Runtime.StreamableHttp;
using ModelContextProtocol.Protocol;

namespace McpLambda.Resilience.Tests;

/// <summary>
/// A request the server makes of the client during a call (sampling here) goes out on that call's live answer under an
/// id of the bridge's own, and the client's answer, posted separately, goes back to the server under the server's id.
/// Answers that nothing waits for are refused, and nothing waits past the call's deadline.
/// </summary>
public sealed class ServerToClientRequestTests
{
    [Fact]
    public async Task The_server_request_reaches_the_live_client_and_its_answer_reaches_the_server()
    {
        await using var bridge = new StdioServerBridge(MisbehavingServer.Options());
        var client = new LiveClient(request => bridge.HandleAsync(Answer(request.Id, "from the client"), CancellationToken.None).AsTask());

        var result = await bridge.HandleAsync(MisbehavingServer.Call("sampling"), client, Deadline(10));

        Assert.Contains("from the client", result.Text());
        var asked = Assert.Single(client.Requests);
        Assert.Equal("sampling/createMessage", asked.Method);
        Assert.StartsWith("mcp-lambda-", Assert.IsType<string>(asked.Id.Id));
        Assert.All(client.Answers, a => Assert.Null(a));
    }

    [Fact]
    public async Task An_answer_nothing_waits_for_gets_400_with_a_json_rpc_error_and_a_duplicate_is_refused()
    {
        await using var bridge = new StdioServerBridge(MisbehavingServer.Options());
        var http = new StreamableHttpHandler(new McpMessageDispatcher(bridge));
        var client = new LiveClient(request => bridge.HandleAsync(Answer(request.Id, "first"), CancellationToken.None).AsTask());
        Assert.Contains("first", (await bridge.HandleAsync(MisbehavingServer.Call("sampling"), client, Deadline(10))).Text());

        var duplicate = await http.HandleAsync(Post(Answer(client.Requests[0].Id, "again")), CancellationToken.None);
        var stray = await http.HandleAsync(Post(Answer(new RequestId("made-up"), "stray")), CancellationToken.None);

        foreach (var refused in new[] { duplicate, stray })
        {
            Assert.Equal(400, refused.StatusCode);
            var error = JsonNode.Parse(refused.Body.Span)!;
            Assert.Equal(JsonRpcErrorCodes.InvalidRequest, error["error"]!["code"]!.GetValue<int>());
            Assert.Contains("No server request with id", error["error"]!["message"]!.GetValue<string>());
        }
    }

    [Fact]
    public async Task A_client_that_never_answers_ends_at_the_deadline_and_the_server_is_told()
    {
        await using var bridge = new StdioServerBridge(MisbehavingServer.Options());
        var client = new LiveClient(_ => Task.FromResult<JsonRpcMessage?>(null));

        var started = DateTime.UtcNow;
        var result = await bridge.HandleAsync(MisbehavingServer.Call("sampling"), client, Deadline(1.5));

        Assert.True(DateTime.UtcNow - started < TimeSpan.FromSeconds(5));
        Assert.Equal(JsonRpcErrorCodes.RequestTimeout, Assert.IsType<JsonRpcError>(result).Error.Code);
        var late = await bridge.HandleAsync(Answer(client.Requests[0].Id, "too late"), CancellationToken.None);
        Assert.Equal(JsonRpcErrorCodes.InvalidRequest, Assert.IsType<JsonRpcError>(late).Error.Code);

        // The server was told rather than left waiting: it goes on serving.
        Assert.Equal("Echo: still here", (await bridge.CallAsync("echo", new JsonObject { ["message"] = "still here" })).Text());
    }

    [Fact]
    public async Task With_two_live_calls_in_flight_the_server_request_is_refused_as_ambiguous()
    {
        await using var bridge = new StdioServerBridge(MisbehavingServer.Options());
        var slowClient = new LiveClient(_ => Task.FromResult<JsonRpcMessage?>(null));
        var samplingClient = new LiveClient(_ => Task.FromResult<JsonRpcMessage?>(null));

        var slow = bridge.HandleAsync(MisbehavingServer.Call("slow", new JsonObject { ["ms"] = 1500 }, id: 1), slowClient, Deadline(10)).AsTask();
        await Task.Delay(300);
        var sampling = await bridge.HandleAsync(MisbehavingServer.Call("sampling", id: 2), samplingClient, Deadline(10));

        Assert.Contains("calls from different clients are in flight", sampling.Text());
        Assert.Empty(samplingClient.Requests);
        Assert.Equal("slept 1500 ms", (await slow).Text());
    }

    private static CancellationToken Deadline(double seconds) => new CancellationTokenSource(TimeSpan.FromSeconds(seconds)).Token;

    private static JsonRpcResponse Answer(RequestId id, string text) => new()
    {
        Id = id,
        Result = new JsonObject { ["role"] = "assistant", ["content"] = new JsonObject { ["type"] = "text", ["text"] = text }, ["model"] = "test" },
    };

    private static BufferedHttpRequest Post(JsonRpcMessage message)
    {
        var headers = new HttpHeaderCollection();
        headers.Set("Content-Type", "application/json");
        headers.Set("Accept", "application/json, text/event-stream");
        return new BufferedHttpRequest("POST", "/mcp", headers, JsonRpcMessages.ToUtf8(message));
    }

    /// <summary>A client on a streamed answer: it sees the server's requests as they come and answers them with <c>answer</c>.</summary>
    private sealed class LiveClient(Func<JsonRpcRequest, Task<JsonRpcMessage?>> answer) : IClientMessageSink
    {
        private readonly ConcurrentQueue<JsonRpcRequest> _requests = new();
        private readonly ConcurrentQueue<JsonRpcMessage?> _answers = new();

        public bool IsLive => true;

        public IReadOnlyList<JsonRpcRequest> Requests => [.. _requests];

        /// <summary>What the bridge said to each answer: null when it took it.</summary>
        public IReadOnlyList<JsonRpcMessage?> Answers => [.. _answers];

        public void Send(JsonRpcMessage message)
        {
            if (message is JsonRpcRequest request)
            {
                _requests.Enqueue(request);

                // As a client would: the answer is a separate POST, made while the call is still open.
                _ = Task.Run(async () => _answers.Enqueue(await answer(request)));
            }
        }
    }
}
