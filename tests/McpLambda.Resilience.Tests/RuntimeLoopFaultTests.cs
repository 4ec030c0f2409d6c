using System.Text;
using System.Text.Json.Nodes;
using McpLambda.Runtime.Bridge;
using McpLambda.Runtime.EventAdapters;
using McpLambda.Runtime.Hosting;
using McpLambda.Runtime.Local;
using McpLambda.Runtime.RuntimeApi;

namespace McpLambda.Resilience.Tests;

/// <summary>Faults seen through the whole runtime loop, with the test playing the Lambda service.</summary>
public sealed class RuntimeLoopFaultTests
{
    [Fact]
    public async Task A_server_that_cannot_start_during_init_is_reported_through_init_error()
    {
        await using var lambda = RuntimeApiEmulator.Start();
        await using var bridge = new StdioServerBridge(MisbehavingServer.Options("exit-at-start"));
        using var client = new RuntimeApiClient(lambda.Address);

        var exitCode = await new LambdaRuntimeLoop(client, LambdaInvokeEventAdapter.Instance, bridge, new McpHandlers(bridge)).RunAsync(1, CancellationToken.None);

        Assert.Equal(1, exitCode);
        var error = JsonNode.Parse(await lambda.InitError.WaitAsync(TimeSpan.FromSeconds(5)))!;
        Assert.Equal("Runtime.McpServerStartFailed", error["errorType"]!.GetValue<string>());
        var message = error["errorMessage"]!.GetValue<string>();
        Assert.Contains("misbehaving-server.mjs exit-at-start", message);
        Assert.Contains("exited with code 3", message);
        Assert.Contains("refusing to start", message);
    }

    [Fact]
    public async Task A_request_past_the_Lambda_deadline_gets_a_JSON_RPC_timeout_before_Lambda_kills_the_invocation()
    {
        await using var lambda = RuntimeApiEmulator.Start();
        await using var bridge = new StdioServerBridge(MisbehavingServer.Options());
        using var client = new RuntimeApiClient(lambda.Address);
        using var stop = new CancellationTokenSource();
        var loop = new LambdaRuntimeLoop(client, LambdaInvokeEventAdapter.Instance, bridge, new McpHandlers(bridge)).RunAsync(1, stop.Token);

        var hung = await lambda.InvokeAsync(Encoding.UTF8.GetBytes("""{"jsonrpc":"2.0","id":"h","method":"tools/call","params":{"name":"hang"}}"""),
            new LambdaInvokeOptions(Timeout: TimeSpan.FromSeconds(2)));

        Assert.Null(hung.FunctionError);
        var answer = JsonNode.Parse(hung.Payload)!;
        Assert.Equal("h", answer["id"]!.GetValue<string>());
        Assert.Equal(-32001, answer["error"]!["code"]!.GetValue<int>());

        var next = await lambda.InvokeAsync(Encoding.UTF8.GetBytes("""{"jsonrpc":"2.0","id":2,"method":"tools/call","params":{"name":"echo","arguments":{"message":"after"}}}"""));
        Assert.Equal("Echo: after", JsonNode.Parse(next.Payload)!["result"]!["content"]![0]!["text"]!.GetValue<string>());
        stop.Cancel();
        await loop;
    }
}
