using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using McpLambda.Tests;
using Xunit.Abstractions;

namespace McpLambda.EndToEnd.Tests;

/// <summary>
/// 10,000 calls at concurrency 8 through local mode with the TypeScript SDK's client while the server's processes are
/// killed at random moments every few hundred milliseconds (restarts included) and once frozen: every call gets a
/// result or a named JSON-RPC error, none is lost or crossed, at least 90% succeed, and the function serves again
/// within 5 s once the kills stop.
/// </summary>
[Collection(nameof(ChaosSoakTests))]
public sealed class ChaosSoakTests(ITestOutputHelper output)
{
    private const int Calls = 10_000;
    private const int Concurrency = 8;

    [Fact]
    public async Task Ten_thousand_calls_survive_a_server_killed_every_few_hundred_milliseconds()
    {
        // A server that starts in tens of milliseconds, so the run is quick even with the server down half the time; a
        // short emulated timeout, so calls caught by the frozen server are answered (-32001) within seconds.
        var script = Path.Combine(TestRepository.RootDirectory, "tests", "McpLambda.Resilience.Tests", "Servers", "misbehaving-server.mjs");
        await using var function = await InProcessLocalFunction.StartAsync(
            new McpLambda.Runtime.StdioServerOptions("node", [script]) { StartupTimeout = TimeSpan.FromSeconds(10) }, TimeSpan.FromSeconds(3));
        var url = function.Url;
        var chaos = new ServerChaos(script);

        using var client = StartClient(url);
        var stdout = client.StandardOutput.ReadToEndAsync();
        var stderr = new StringBuilder();
        var connected = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        client.ErrorDataReceived += (_, e) =>
        {
            lock (stderr)
            {
                stderr.AppendLine(e.Data);
            }

            if (e.Data == "connected")
            {
                connected.TrySetResult();
            }
        };
        client.BeginErrorReadLine();
        await connected.Task.WaitAsync(TimeSpan.FromSeconds(60));

        using var stop = new CancellationTokenSource();
        var kills = chaos.RunAsync(stop.Token);
        await client.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(4));
        await stop.CancelAsync();
        await kills;
        Assert.True(client.ExitCode == 0, $"the client failed: {stderr}");

        // One last kill, then the time until a call succeeds again.
        chaos.KillServer();
        var recovery = await TimeToFirstSuccessAsync(url);

        var report = JsonNode.Parse(await stdout)!;
        var outcomes = report["outcomes"]!.AsObject().ToDictionary(o => o.Key, o => o.Value!.GetValue<int>());
        foreach (var (outcome, count) in outcomes.OrderByDescending(o => o.Value))
        {
            output.WriteLine($"{outcome}: {count:N0}" + (report["examples"]?[outcome] is { } example ? $" (e.g. {example})" : ""));
        }

        var succeeded = outcomes.GetValueOrDefault("result");
        output.WriteLine($"{Calls:N0} calls at concurrency {Concurrency} in {report["durationMs"]!.GetValue<int>() / 1000.0:0.0} s; {chaos.Kills} kills of the server" +
            $" ({chaos.KilledProcesses} processes), {chaos.Freezes} freeze; {100.0 * succeeded / Calls:0.0}% succeeded; served again {recovery.TotalSeconds:0.00} s after the last kill");

        Assert.Equal(Calls, outcomes.Values.Sum());
        Assert.Equal(0, report["mismatched"]!.GetValue<int>());
        Assert.Equal(0, report["unanswered"]!.GetValue<int>());
        Assert.All(outcomes.Keys, outcome => Assert.True(outcome is "result" || outcome.StartsWith("JSON-RPC -32", StringComparison.Ordinal), "not a named JSON-RPC error: " + outcome));
        Assert.True(succeeded >= Calls * 0.9, $"only {succeeded} of {Calls} calls succeeded");
        // Kills are no fault of the server: a request waits for the restart instead of getting a start error at once.
        Assert.True(outcomes.GetValueOrDefault("JSON-RPC -32603") <= Calls / 100, $"{outcomes.GetValueOrDefault("JSON-RPC -32603")} calls got a start error (-32603)");
        Assert.True(chaos.Kills >= 10 && chaos.Freezes == 1, $"too little chaos: {chaos.Kills} kills, {chaos.Freezes} freezes");
        Assert.True(recovery < TimeSpan.FromSeconds(5), $"served again only after {recovery}");
        Assert.True(function.IsRunning);
    }

    private static Process StartClient(Uri url)
    {
        var info = new ProcessStartInfo("node") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = NodeScript.ProjectDirectory };
        foreach (var arg in new[] { Path.Combine(NodeScript.ProjectDirectory, "node", "chaos-client.mjs"), url.ToString(), Calls.ToString(), Concurrency.ToString() })
        {
            info.ArgumentList.Add(arg);
        }

        return Process.Start(info)!;
    }

    private static async Task<TimeSpan> TimeToFirstSuccessAsync(Uri url)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromSeconds(30))
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, url)
            {
                Content = new StringContent("""{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"echo","arguments":{"message":"again"}}}""", Encoding.UTF8, "application/json"),
            };
            request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
            using var response = await http.SendAsync(request);
            var answer = JsonNode.Parse(await response.Content.ReadAsStringAsync());
            if (answer?["result"]?["content"]?[0]?["text"]?.GetValue<string>() == "Echo: again")
            {
                return clock.Elapsed;
            }
        }

        return clock.Elapsed;
    }
}

/// <summary>
/// The soak runs alone: its bound on start errors measures how restarts behave, and the other test classes' load on
/// the same cores would lengthen every start the killer can hit.
/// </summary>
[CollectionDefinition(nameof(ChaosSoakTests), DisableParallelization = true)]
public sealed class ChaosSoakCollection;
