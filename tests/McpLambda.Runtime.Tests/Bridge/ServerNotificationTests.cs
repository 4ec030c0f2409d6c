using System.Text.Json.Nodes;
using McpLambda.Runtime.Tests.Support;
using McpLambda.Tests;
using ModelContextProtocol.Protocol;

namespace McpLambda.Runtime.Tests.Bridge;

/// <summary>
/// The server's notifications reach the request they belong to, before its answer: progress by its token (each caller's
/// own, even when callers pick the same), against the real server-everything.
/// </summary>
public sealed class ServerNotificationTests(EverythingServerFixture server) : IClassFixture<EverythingServerFixture>
{
    [Fact]
    public async Task Progress_reaches_its_request_in_order_under_the_callers_token_before_the_answer()
    {
        var seen = new RecordingClientSink();
        var answer = await server.Bridge.HandleAsync(LongRunning(new RequestId("slow"), "client-token", steps: 4), seen, CancellationToken.None);

        Assert.IsType<JsonRpcResponse>(answer);
        var progress = seen.Notifications.Where(n => n.Method == NotificationMethods.ProgressNotification).ToList();
        Assert.Equal([1, 2, 3, 4], progress.Select(n => n.Params!["progress"]!.GetValue<int>()));
        Assert.All(progress, n => Assert.Equal("client-token", n.Params!["progressToken"]!.GetValue<string>()));
    }

    [Fact]
    public async Task Concurrent_callers_with_the_same_token_each_get_only_their_own_progress()
    {
        var first = new RecordingClientSink();
        var second = new RecordingClientSink();

        await Task.WhenAll(
            server.Bridge.HandleAsync(LongRunning(new RequestId(1), 7, steps: 2), first, CancellationToken.None).AsTask(),
            server.Bridge.HandleAsync(LongRunning(new RequestId(2), 7, steps: 3), second, CancellationToken.None).AsTask());

        Assert.Equal(2, first.Notifications.Count(n => n.Method == NotificationMethods.ProgressNotification));
        Assert.Equal(3, second.Notifications.Count(n => n.Method == NotificationMethods.ProgressNotification));
        Assert.All(first.Notifications.Concat(second.Notifications).Where(n => n.Method == NotificationMethods.ProgressNotification),
            n => Assert.Equal(7, n.Params!["progressToken"]!.GetValue<int>()));
    }

    [Fact]
    public async Task A_caller_that_takes_no_notifications_gets_the_answer_alone()
    {
        var answer = await server.Bridge.HandleAsync(LongRunning(new RequestId("quiet"), "t", steps: 2), CancellationToken.None);

        Assert.Equal(new RequestId("quiet"), Assert.IsType<JsonRpcResponse>(answer).Id);
    }

    private static JsonRpcRequest LongRunning(RequestId id, JsonNode token, int steps) => new()
    {
        Id = id,
        Method = RequestMethods.ToolsCall,
        Params = new JsonObject
        {
            ["name"] = "trigger-long-running-operation",
            ["arguments"] = new JsonObject { ["duration"] = 0.1 * steps, ["steps"] = steps },
            ["_meta"] = new JsonObject { ["progressToken"] = token },
        },
    };
}
