using System.Text.Json;
using System.Text.Json.Nodes;
using McpLambda.Runtime.Bridge;
using McpLambda.Runtime.Configuration;
using McpLambda.Runtime.Observability;
using McpLambda.Runtime.Invocations;

namespace McpLambda.Resilience.Tests;

/// <summary>
/// The server's stderr is read outside any invocation's async flow; its lines carry the request id when only one
/// invocation has requests in flight on the server, and none when that cannot be told.
/// </summary>
[Collection(nameof(LogConfigurationCollection))]
public sealed class ServerStderrRequestIdTests
{
    [Fact]
    public async Task A_stderr_line_written_while_one_invocation_is_in_flight_carries_its_request_id()
    {
        var marker = "line-" + Guid.NewGuid().ToString("N");
        var requestId = "req-" + Guid.NewGuid().ToString("N");
        using var stderr = new StderrCapture();
        await using var bridge = new StdioServerBridge(MisbehavingServer.Options());
        await bridge.StartAsync(CancellationToken.None);
        await AnsweredTheProbeAsync(bridge);

        using (new InvocationContext(requestId, null, null, default).Enter())
        {
            Assert.Equal("wrote to stderr", (await bridge.CallAsync("stderr-line", new JsonObject { ["message"] = marker, ["ms"] = 500 })).Text());
        }

        var logged = stderr.Text.Split('\n').Single(line => line.Contains(marker));
        Assert.Equal($"[mcp-lambda] INFO {requestId} [server stderr] {marker}", logged);
    }

    [Fact]
    public async Task A_stderr_line_written_while_two_invocations_are_in_flight_carries_no_request_id()
    {
        var marker = "line-" + Guid.NewGuid().ToString("N");
        using var stderr = new StderrCapture();
        await using var bridge = new StdioServerBridge(MisbehavingServer.Options());
        await bridge.StartAsync(CancellationToken.None);

        await WriteWhileTwoInvocationsAreInFlightAsync(bridge, marker);

        var logged = stderr.Text.Split('\n').Single(line => line.Contains(marker));
        Assert.Equal($"[mcp-lambda] INFO [server stderr] {marker}", logged);
    }

    [Fact]
    public async Task In_json_format_a_server_stderr_line_is_one_json_object_with_the_request_and_trace_ids()
    {
        var marker = "line-" + Guid.NewGuid().ToString("N");
        using var stderr = new StderrCapture();
        await using var bridge = new StdioServerBridge(MisbehavingServer.Options());
        await bridge.StartAsync(CancellationToken.None);
        await AnsweredTheProbeAsync(bridge);
        Log.Configure(LambdaLogFormat.Json, McpLambdaSettings.Default.LogLevel);
        try
        {
            using (new InvocationContext("req-json", "Root=1-json", null, default).Enter())
            {
                await bridge.CallAsync("stderr-line", new JsonObject { ["message"] = marker, ["ms"] = 500 });
            }
        }
        finally
        {
            Log.Configure(McpLambdaSettings.Default.LogFormat, McpLambdaSettings.Default.LogLevel);
        }

        using var line = JsonDocument.Parse(stderr.Text.Split('\n').Single(l => l.Contains(marker)));
        Assert.Equal("INFO", line.RootElement.GetProperty("level").GetString());
        Assert.Equal("req-json", line.RootElement.GetProperty("requestId").GetString());
        Assert.Equal("Root=1-json", line.RootElement.GetProperty("traceId").GetString());
        Assert.Equal("[server stderr] " + marker, line.RootElement.GetProperty("message").GetString());
        Assert.True(DateTimeOffset.TryParse(line.RootElement.GetProperty("timestamp").GetString(), out _));
    }

    [Fact]
    public async Task A_server_started_during_an_invocation_does_not_log_as_that_invocation_afterwards()
    {
        var marker = "line-" + Guid.NewGuid().ToString("N");
        using var stderr = new StderrCapture();
        await using var bridge = new StdioServerBridge(MisbehavingServer.Options());
        using (new InvocationContext("req-starter", null, null, default).Enter())
        {
            // No StartAsync beforehand: this request starts the server, inside the starter's invocation.
            Assert.Equal("Echo: start", (await bridge.CallAsync("echo", new JsonObject { ["message"] = "start" })).Text());
        }

        await WriteWhileTwoInvocationsAreInFlightAsync(bridge, marker);
        var logged = stderr.Text.Split('\n').Single(line => line.Contains(marker));
        Assert.Equal($"[mcp-lambda] INFO [server stderr] {marker}", logged);
    }

    /// <summary>
    /// Returns once the era probe that follows the handshake is answered: it is the runtime's own request, during which no
    /// stderr line is attributed, and the server answers in order, so once a later call is answered the probe is too.
    /// </summary>
    private static Task AnsweredTheProbeAsync(StdioServerBridge bridge) => bridge.CallAsync("pid");

    /// <summary>Makes the server write <paramref name="marker"/> to stderr while requests of two invocations are in flight.</summary>
    private static async Task WriteWhileTwoInvocationsAreInFlightAsync(StdioServerBridge bridge, string marker)
    {
        // The other invocation's request is in flight (slow) before the first one makes the server write the line.
        var other = Task.Run(async () =>
        {
            using var scope = new InvocationContext("req-other", null, null, default).Enter();
            return await bridge.CallAsync("slow", new JsonObject { ["ms"] = 1500 }, id: 2);
        });
        await Task.Delay(300);
        using (new InvocationContext("req-first", null, null, default).Enter())
        {
            await bridge.CallAsync("stderr-line", new JsonObject { ["message"] = marker, ["ms"] = 300 });
        }

        Assert.Equal("slept 1500 ms", (await other).Text());
    }
}
