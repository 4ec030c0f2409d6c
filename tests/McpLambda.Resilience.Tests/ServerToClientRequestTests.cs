using System.Text.Json.Nodes;
using McpLambda.Runtime.Bridge;
using McpLambda.Runtime.Http;
using McpLambda.Runtime.JsonRpc;
using McpLambda.Runtime.Protocol;
using McpLambda.Runtime.StreamableHttp;
using McpLambda.Tests;
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
        var client = LiveClient.Silent();

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
        var slowClient = LiveClient.Silent();
        var samplingClient = LiveClient.Silent();

        var slow = bridge.HandleAsync(MisbehavingServer.Call("slow", new JsonObject { ["ms"] = 1500 }, id: 1), slowClient, Deadline(10)).AsTask();
        await Task.Delay(300);
        var sampling = await bridge.HandleAsync(MisbehavingServer.Call("sampling", id: 2), samplingClient, Deadline(10));

        Assert.Contains("calls from different clients are in flight", sampling.Text());
        Assert.Empty(samplingClient.Requests);
        Assert.Equal("slept 1500 ms", (await slow).Text());
    }

    [Theory]
    [InlineData("json-only")]
    [InlineData("invoke")]
    public async Task A_server_request_never_reaches_a_live_caller_while_another_caller_is_in_flight(string other)
    {
        await using var bridge = new StdioServerBridge(MisbehavingServer.Options());
        var live = new RecordingSink(isLive: true);
        IClientMessageSink? otherSink = other == "invoke" ? null : new RecordingSink(isLive: false);

        // The live caller holds a call open; the other caller's tool asks the client something.
        var held = bridge.HandleAsync(MisbehavingServer.Call("slow", new JsonObject { ["ms"] = 1500 }, id: 1), live, Deadline(10)).AsTask();
        await Task.Delay(300);
        var asking = await Handle(bridge, MisbehavingServer.Call("sampling", id: 2), otherSink);

        Assert.Contains("calls from different clients are in flight", asking.Text());
        Assert.Empty(live.Messages);
        Assert.Equal("slept 1500 ms", (await held).Text());

        // And the other way round: the live caller's own request is refused too while the other one is in flight.
        var otherHeld = Handle(bridge, MisbehavingServer.Call("slow", new JsonObject { ["ms"] = 1500 }, id: 3), otherSink);
        await Task.Delay(300);
        Assert.Contains("calls from different clients are in flight", (await bridge.HandleAsync(MisbehavingServer.Call("sampling", id: 4), live, Deadline(10))).Text());
        Assert.Empty(live.Messages);
        await otherHeld;
    }

    [Fact]
    public async Task A_log_message_goes_to_the_one_caller_in_flight_and_to_nobody_when_there_are_two()
    {
        await using var bridge = new StdioServerBridge(MisbehavingServer.Options());
        var alone = new RecordingSink(isLive: false);
        await bridge.HandleAsync(MisbehavingServer.Call("notify", id: 1), alone, Deadline(10));
        Assert.Single(alone.Messages, m => m is JsonRpcNotification { Method: "notifications/message" });

        var bystander = new RecordingSink(isLive: true);
        var notifier = new RecordingSink(isLive: true);
        var held = bridge.HandleAsync(MisbehavingServer.Call("slow", new JsonObject { ["ms"] = 1000 }, id: 2), bystander, Deadline(10)).AsTask();
        await Task.Delay(300);
        Assert.Equal("notified", (await bridge.HandleAsync(MisbehavingServer.Call("notify", id: 3), notifier, Deadline(10))).Text());
        await held;

        Assert.Empty(bystander.Messages);
        Assert.Empty(notifier.Messages);
    }

    /// <summary>A call from a caller that takes the server's messages on <paramref name="sink"/>, or (null) takes none, as over Invoke.</summary>
    private static Task<JsonRpcMessage?> Handle(StdioServerBridge bridge, JsonRpcMessage message, IClientMessageSink? sink)
        => (sink is null ? bridge.HandleAsync(message, Deadline(10)) : bridge.HandleAsync(message, sink, Deadline(10))).AsTask();

    /// <summary>A caller's sink that keeps what reaches it and answers nothing.</summary>
    private sealed class RecordingSink(bool isLive) : IClientMessageSink
    {
        private readonly System.Collections.Concurrent.ConcurrentQueue<JsonRpcMessage> _messages = new();

        public bool IsLive => isLive;

        public IReadOnlyList<JsonRpcMessage> Messages => [.. _messages];

        public void Send(JsonRpcMessage message) => _messages.Enqueue(message);
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
}
