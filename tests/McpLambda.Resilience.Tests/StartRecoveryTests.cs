using System.Diagnostics;
using System.Text.Json.Nodes;
using McpLambda.Runtime;
using McpLambda.Runtime.Bridge;
using ModelContextProtocol.Protocol;

namespace McpLambda.Resilience.Tests;

/// <summary>
/// A server whose starts fail for a while: requests wait for the next attempt within their deadline instead of failing
/// at once, a kill from outside keeps the back-off short, and the function serves again as soon as the fault stops.
/// </summary>
public sealed class StartRecoveryTests : IDisposable
{
    private readonly string _faultFile = Path.Combine(Path.GetTempPath(), "mcplambda-start-fault-" + Guid.NewGuid().ToString("N"));

    [Fact]
    public async Task A_request_during_the_back_off_waits_for_the_next_attempt_and_is_served_once_the_fault_stops()
    {
        File.WriteAllText(_faultFile, "exit");
        await using var bridge = new StdioServerBridge(Options());

        var failed = await StartErrorAsync(bridge, TimeSpan.FromSeconds(2));
        Assert.Contains("exited with code 3", failed.Message);

        await AssertServedAgainAsync(bridge, within: TimeSpan.FromSeconds(3));
    }

    [Fact]
    public async Task Starts_killed_from_outside_keep_the_back_off_short()
    {
        File.WriteAllText(_faultFile, "kill");
        await using var bridge = new StdioServerBridge(Options());

        var failed = await StartErrorAsync(bridge, TimeSpan.FromSeconds(2.5));
        Assert.Contains("exited with code 137", failed.Message);
        var failures = int.Parse(System.Text.RegularExpressions.Regex.Match(failed.Message, @"failed (\d+) times in a row").Groups[1].Value);
        Assert.True(failures >= 2, $"a request with 2.5 s should see the server started again while kills stop it, not {failures} times: {failed.Message}");
        // However many kills there were, the next attempt stays the shortest wait away (an own failure would double it).
        Assert.Matches(@"next attempt (now|in 0\.[0-3] s)", failed.Message);

        await AssertServedAgainAsync(bridge, within: TimeSpan.FromSeconds(3));
    }

    [Fact]
    public async Task A_request_that_arrives_while_the_server_starts_waits_for_that_start()
    {
        await using var bridge = new StdioServerBridge(Options());
        var calls = Enumerable.Range(0, 8).Select(_ => CallWithinAsync(bridge, TimeSpan.FromSeconds(10))).ToArray();

        foreach (var answer in await Task.WhenAll(calls))
        {
            Assert.Equal("Echo: back", answer.Text());
        }
    }

    public void Dispose() => File.Delete(_faultFile);

    /// <summary>A call while the fault lasts: the start error, once no further attempt fits in <paramref name="deadline"/>.</summary>
    private static async Task<JsonRpcErrorDetail> StartErrorAsync(StdioServerBridge bridge, TimeSpan deadline)
    {
        var error = (await CallWithinAsync(bridge, deadline)).Error();
        Assert.Equal(-32603, error.Code);
        return error;
    }

    /// <summary>Ends the fault and checks that a request is served again <paramref name="within"/> (the back-off did not grow past it).</summary>
    private async Task AssertServedAgainAsync(StdioServerBridge bridge, TimeSpan within)
    {
        File.Delete(_faultFile);
        var watch = Stopwatch.StartNew();
        Assert.Equal("Echo: back", (await CallWithinAsync(bridge, TimeSpan.FromSeconds(10))).Text());
        Assert.True(watch.Elapsed < within, $"served {watch.Elapsed} after the fault stopped");
    }

    private StdioServerOptions Options() => MisbehavingServer.Options(environment: new Dictionary<string, string> { ["MISBEHAVING_START_FAULT_FILE"] = _faultFile });

    private static Task<JsonRpcMessage> CallWithinAsync(StdioServerBridge bridge, TimeSpan deadline)
        => bridge.CallWithinAsync("echo", deadline, new JsonObject { ["message"] = "back" });
}
