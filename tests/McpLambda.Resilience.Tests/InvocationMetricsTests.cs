using System.Text;
using System.Text.Json;
using McpLambda.Runtime.Bridge;
using McpLambda.Runtime.Configuration;
using McpLambda.Runtime.EventAdapters;
using McpLambda.Runtime.Hosting;
using McpLambda.Runtime.Observability;
using McpLambda.Runtime.RuntimeApi;

namespace McpLambda.Resilience.Tests;

/// <summary>The metrics of whole invocations over a real server: a crash is a ServerError, and the next invocation counts the restart.</summary>
public sealed class InvocationMetricsTests
{
    [Fact]
    public async Task A_crash_is_counted_as_a_server_error_and_the_next_invocation_counts_one_server_restart()
    {
        var output = new StringWriter();
        var metrics = new RequestMetrics(new EmbeddedMetricsWriter("Test/Mcp", "fn", () => output));
        await using var bridge = new StdioServerBridge(MisbehavingServer.Options());
        await bridge.StartAsync(CancellationToken.None);
        var handler = new InvocationHandler(LambdaInvokeEventAdapter.Instance, new McpHandlers(bridge, McpLambdaSettings.Default, metrics), TimeSpan.Zero, metrics: metrics);

        await handler.AnswerAsync(Invocation("req-crash", """{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"crash","arguments":{}}}"""), CancellationToken.None);
        await handler.AnswerAsync(Invocation("req-after", """{"jsonrpc":"2.0","id":2,"method":"tools/call","params":{"name":"echo","arguments":{"message":"after"}}}"""), CancellationToken.None);

        var documents = output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line => JsonDocument.Parse(line).RootElement).ToList();
        Assert.Equal(2, documents.Count);
        var crash = documents[0];
        Assert.Equal("req-crash", crash.GetProperty("requestId").GetString());
        Assert.Equal("ServerError", crash.GetProperty("ErrorClass").GetString());
        Assert.Equal(-32000, crash.GetProperty("ErrorCode").GetInt32());
        Assert.Equal(0, crash.GetProperty("ServerRestarts").GetInt32());
        var after = documents[1];
        Assert.Equal("req-after", after.GetProperty("requestId").GetString());
        Assert.Equal("echo", after.GetProperty("Tool").GetString());
        Assert.Equal(1, after.GetProperty("Successes").GetInt32());
        Assert.Equal(1, after.GetProperty("ServerRestarts").GetInt32());
    }

    private static LambdaInvocation Invocation(string requestId, string message)
        => new(requestId, DateTimeOffset.UtcNow.AddSeconds(20), null, null, null, null, Encoding.UTF8.GetBytes(message));
}
