using System.Text;
using System.Text.Json.Nodes;
using McpLambda.Runtime.Bridge;
using McpLambda.Runtime.EventAdapters;
using McpLambda.Runtime.Hosting;
using McpLambda.Runtime.Local;
using McpLambda.Runtime.RuntimeApi;

namespace McpLambda.Resilience.Tests;

/// <summary>The Runtime API itself misbehaving: the loop logs, retries and keeps serving, and exits only when the API is gone.</summary>
public sealed class RuntimeApiFaultTests
{
    private static readonly byte[] Echo = Encoding.UTF8.GetBytes("""{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"echo","arguments":{"message":"still here"}}}""");

    [Theory]
    [InlineData(nameof(RuntimeApiFault.NextAnswers500))]
    [InlineData(nameof(RuntimeApiFault.NextClosesConnection))]
    public async Task The_loop_retries_next_after_a_failure_and_keeps_serving(string faultName)
    {
        var fault = Enum.Parse<RuntimeApiFault>(faultName);
        await using var lambda = RuntimeApiEmulator.Start();
        lambda.InjectFault(fault);
        lambda.InjectFault(fault);
        await using var loop = LoopUnderTest.Start(lambda, concurrency: 1);

        var result = await lambda.InvokeAsync(Echo, new LambdaInvokeOptions(Timeout: TimeSpan.FromSeconds(10)));

        Assert.Null(result.FunctionError);
        Assert.Equal("Echo: still here", EchoText(result));
    }

    [Fact]
    public async Task With_several_loops_a_failed_next_in_each_loop_does_not_lose_any_of_them()
    {
        await using var lambda = RuntimeApiEmulator.Start();
        for (var i = 0; i < 3; i++)
        {
            lambda.InjectFault(RuntimeApiFault.NextAnswers500);
        }

        await using var loop = LoopUnderTest.Start(lambda, concurrency: 3);

        var results = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => lambda.InvokeAsync(Echo, new LambdaInvokeOptions(Timeout: TimeSpan.FromSeconds(10)))));

        Assert.All(results, r => Assert.Equal("Echo: still here", EchoText(r)));
        Assert.False(loop.Run.IsCompleted);
    }

    [Theory]
    [InlineData(nameof(RuntimeApiFault.ResponseAnswers413))]
    [InlineData(nameof(RuntimeApiFault.ResponseAnswers500))]
    public async Task A_refused_response_becomes_the_invocations_error_and_the_loop_keeps_serving(string faultName)
    {
        var fault = Enum.Parse<RuntimeApiFault>(faultName);
        await using var lambda = RuntimeApiEmulator.Start();
        await using var loop = LoopUnderTest.Start(lambda, concurrency: 1);
        lambda.InjectFault(fault);

        var refused = await lambda.InvokeAsync(Echo, new LambdaInvokeOptions(Timeout: TimeSpan.FromSeconds(10)));
        var next = await lambda.InvokeAsync(Echo, new LambdaInvokeOptions(Timeout: TimeSpan.FromSeconds(10)));

        Assert.Equal("Runtime.ResponseRejected", refused.FunctionError);
        Assert.Contains(fault == RuntimeApiFault.ResponseAnswers413 ? "413" : "500", JsonNode.Parse(refused.Payload)!["errorMessage"]!.GetValue<string>());
        Assert.Equal("Echo: still here", EchoText(next));
    }

    [Fact]
    public async Task When_the_Runtime_API_refuses_connections_for_the_bounded_period_the_loop_exits_with_a_clear_log_line()
    {
        using var stderr = new StderrCapture();
        var lambda = RuntimeApiEmulator.Start();
        await using var loop = LoopUnderTest.Start(lambda, concurrency: 2, new RuntimeApiRetryPolicy(TimeSpan.FromMilliseconds(20), TimeSpan.FromMilliseconds(100), goneAfter: TimeSpan.FromSeconds(1)));
        Assert.Equal("Echo: still here", EchoText(await lambda.InvokeAsync(Echo)));

        await lambda.DisposeAsync();

        Assert.Equal(1, await loop.Run.WaitAsync(TimeSpan.FromSeconds(15)));
        Assert.Contains($"the Lambda Runtime API at {lambda.Address} refused connections for", stderr.Text);
        Assert.Contains("exiting", stderr.Text);
    }

    private static string EchoText(LambdaInvocationResult result)
        => JsonNode.Parse(result.Payload)!["result"]!["content"]![0]!["text"]!.GetValue<string>();

    /// <summary>A runtime loop over the misbehaving server's normal mode, stopped at the end of the test.</summary>
    private sealed class LoopUnderTest : IAsyncDisposable
    {
        private readonly CancellationTokenSource _stop = new();
        private readonly StdioServerBridge _bridge = new(MisbehavingServer.Options());
        private readonly RuntimeApiClient _client;

        private LoopUnderTest(RuntimeApiEmulator lambda, int concurrency, RuntimeApiRetryPolicy? retry)
        {
            _client = new RuntimeApiClient(lambda.Address);
            var invocations = new InvocationHandler(LambdaInvokeEventAdapter.Instance, new McpHandlers(_bridge), TimeSpan.FromMilliseconds(500));
            var loop = new LambdaRuntimeLoop(_client, _bridge, invocations, retry ?? new RuntimeApiRetryPolicy(TimeSpan.FromMilliseconds(20), TimeSpan.FromMilliseconds(200), TimeSpan.FromSeconds(30)));
            Run = Task.Run(() => loop.RunAsync(concurrency, _stop.Token));
        }

        public Task<int> Run { get; }

        public static LoopUnderTest Start(RuntimeApiEmulator lambda, int concurrency, RuntimeApiRetryPolicy? retry = null) => new(lambda, concurrency, retry);

        public async ValueTask DisposeAsync()
        {
            _stop.Cancel();
            try
            {
                await Run.WaitAsync(TimeSpan.FromSeconds(10));
            }
            catch (OperationCanceledException)
            {
            }

            _client.Dispose();
            await _bridge.DisposeAsync();
            _stop.Dispose();
        }
    }
}
