using System.Text.Json.Nodes;
using McpLambda.Runtime.Bridge;

namespace McpLambda.Resilience.Tests;

/// <summary>
/// One request missing its deadline on the shared warm server: the others in flight keep their server unless it is
/// really stuck.
/// </summary>
public sealed class DeadlineIsolationTests
{
    [Fact]
    public async Task A_request_past_its_deadline_is_cancelled_alone_while_the_server_still_serves()
    {
        await using var bridge = new StdioServerBridge(MisbehavingServer.Options());
        var pid = (await bridge.CallAsync("pid")).Text();

        var slow = bridge.CallAsync("slow", new JsonObject { ["ms"] = 1500 }, TimeSpan.FromSeconds(10), id: 2);
        var hung = (await bridge.CallAsync("hang", deadline: TimeSpan.FromMilliseconds(500), id: 3)).Error();

        Assert.Equal(-32001, hung.Code);
        Assert.Contains("the request was cancelled", hung.Message);
        Assert.Equal("slept 1500 ms", (await slow).Text());
        Assert.Equal(pid, (await bridge.CallAsync("pid")).Text());
        var cancelled = JsonNode.Parse((await bridge.CallAsync("cancelled")).Text())!.AsArray();
        Assert.Single(cancelled);
    }

    [Fact]
    public async Task A_stuck_server_that_fails_the_ping_is_replaced_and_its_other_requests_get_connection_closed()
    {
        await using var bridge = new StdioServerBridge(MisbehavingServer.Options());
        var pid = (await bridge.CallAsync("pid")).Text();

        var slow = bridge.CallAsync("slow", new JsonObject { ["ms"] = 3000 }, TimeSpan.FromSeconds(20), id: 2);
        var frozen = (await bridge.CallAsync("freeze", new JsonObject { ["ms"] = 30000 }, TimeSpan.FromMilliseconds(500), id: 3)).Error();

        Assert.Equal(-32001, frozen.Code);
        Assert.Contains("it was stopped and will be restarted", frozen.Message);
        Assert.Equal(-32000, (await slow).Error().Code);
        Assert.NotEqual(pid, (await bridge.CallAsync("pid")).Text());
    }
}
