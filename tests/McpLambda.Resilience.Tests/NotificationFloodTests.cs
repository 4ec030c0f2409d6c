using System.Diagnostics;
using System.Text;
using System.Text.Json.Nodes;
using McpLambda.Runtime.Bridge;
using McpLambda.Runtime.Http;
using McpLambda.Runtime.JsonRpc;
using McpLambda.Runtime.StreamableHttp;
using ModelContextProtocol.Protocol;

namespace McpLambda.Resilience.Tests;

/// <summary>
/// What one call keeps and sends of the server's notifications is bounded, however many the server sends (a tool that
/// reports progress per item of a caller-sized input), and the answer always arrives. A client that goes away fails the
/// server's requests to it at once.
/// </summary>
public sealed class NotificationFloodTests
{
    private const int EventBytes = 64 * 1024;

    [Fact]
    public async Task A_slow_live_client_gets_at_most_the_queue_bound_of_progress_the_latest_included_and_the_answer()
    {
        await using var bridge = new StdioServerBridge(MisbehavingServer.Options());
        var http = new StreamableHttpHandler(new McpMessageDispatcher(bridge));
        // The client reads nothing for a while: the server's 300 events (some 20 MB) pile up meanwhile.
        var client = new RecordingResponse(opensAfter: TimeSpan.FromSeconds(2));

        await http.HandleAsync(Post(FloodCall(300)), client, Deadline(20));

        var events = client.Events();
        Assert.Equal("300 notifications sent", events[^1]["result"]!["content"]![0]!["text"]!.GetValue<string>());
        Assert.Equal(300, events[^2]["params"]!["progress"]!.GetValue<int>());
        Assert.InRange(client.Written, 1, PendingEvents.MaxQueuedBytes + (4 * EventBytes));
    }

    [Fact]
    public async Task Notifications_on_a_streamed_answer_stop_at_the_streamed_limit_and_the_answer_still_goes()
    {
        const int limit = 1024 * 1024;
        await using var bridge = new StdioServerBridge(MisbehavingServer.Options());
        var http = new StreamableHttpHandler(new McpMessageDispatcher(bridge, AnswerLimits.DefaultMaxResponseBytes, AnswerLimits.DefaultMaxBatchLength, limit));
        var client = new RecordingResponse(opensAfter: TimeSpan.Zero);

        await http.HandleAsync(Post(FloodCall(100)), client, Deadline(20));

        var events = client.Events();
        Assert.Equal("100 notifications sent", events[^1]["result"]!["content"]![0]!["text"]!.GetValue<string>());
        Assert.InRange(events.Count, 2, limit / EventBytes + 1);
        Assert.InRange(client.Written, 1, limit + 1024);
    }

    [Fact]
    public void A_buffered_answer_keeps_notifications_only_up_to_the_response_limit_and_counts_the_rest()
    {
        const int budget = 1024 * 1024;
        var collector = new NotificationCollector(budget);

        for (var i = 1; i <= 100; i++)
        {
            collector.Send(new JsonRpcNotification
            {
                Method = NotificationMethods.ProgressNotification,
                Params = new JsonObject { ["progressToken"] = "tok", ["progress"] = i, ["message"] = new string('p', EventBytes) },
            });
        }

        Assert.InRange(collector.Collected.Sum(json => (long)json.Length), budget - EventBytes - 1024, budget);
        Assert.Equal(100, collector.Collected.Count + collector.Dropped);
    }

    [Fact]
    public async Task A_buffered_answer_to_a_flood_of_progress_fits_the_response_limit_with_its_answer()
    {
        await using var bridge = new StdioServerBridge(MisbehavingServer.Options());
        var http = new StreamableHttpHandler(new McpMessageDispatcher(bridge));

        var response = await http.HandleAsync(Post(FloodCall(200)), Deadline(20));

        Assert.InRange(response.Body.Length, 1, AnswerLimits.DefaultMaxResponseBytes);
        var events = RecordingResponse.Events(Encoding.UTF8.GetString(response.Body.Span));
        Assert.Equal("200 notifications sent", events[^1]["result"]!["content"]![0]!["text"]!.GetValue<string>());
    }

    [Fact]
    public async Task When_the_live_client_goes_away_the_servers_request_to_it_fails_at_once_not_at_the_deadline()
    {
        await using var bridge = new StdioServerBridge(MisbehavingServer.Options());
        var http = new StreamableHttpHandler(new McpMessageDispatcher(bridge));
        var gone = new RecordingResponse(opensAfter: TimeSpan.Zero, failsWrites: true);

        var clock = Stopwatch.StartNew();
        await http.HandleAsync(Post(MisbehavingServer.Call("sampling")), gone, Deadline(10));

        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(2), $"the call ended after {clock.Elapsed}");
        // The server was told (nothing of its own waits any more), and goes on serving.
        Assert.Equal("[]", (await bridge.CallAsync("unanswered")).Text());
        Assert.Equal("Echo: still here", (await bridge.CallAsync("echo", new JsonObject { ["message"] = "still here" })).Text());
    }

    private static JsonRpcRequest FloodCall(int steps)
    {
        var call = MisbehavingServer.Call("flood-progress", new JsonObject { ["steps"] = steps, ["bytes"] = EventBytes });
        call.Params!["_meta"] = new JsonObject { ["progressToken"] = "tok" };
        return call;
    }

    private static CancellationToken Deadline(double seconds) => new CancellationTokenSource(TimeSpan.FromSeconds(seconds)).Token;

    private static BufferedHttpRequest Post(JsonRpcMessage message)
    {
        var headers = new HttpHeaderCollection();
        headers.Set("Content-Type", "application/json");
        headers.Set("Accept", "application/json, text/event-stream");
        return new BufferedHttpRequest("POST", "/mcp", headers, JsonRpcMessages.ToUtf8(message));
    }
}
