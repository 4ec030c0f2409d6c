using McpLambda.Runtime.EventAdapters;
using McpLambda.Runtime.Hosting;
using McpLambda.Runtime.Http;
using McpLambda.Runtime.RuntimeApi;
using McpLambda.Runtime.JsonRpc;
using McpLambda.Runtime.Invocations;

namespace McpLambda.Runtime.Tests.Invocations;

/// <summary>Concurrent invocations each see their own request and trace id, and none of them touches the process environment.</summary>
public sealed class InvocationContextTests
{
    [Fact]
    public async Task Concurrent_invocations_each_see_their_own_ids_and_the_trace_stays_out_of_the_environment()
    {
        const int concurrency = 8;
        var adapter = new ScopeRecordingAdapter(concurrency);
        var handler = new InvocationHandler(adapter, new McpHandlers(new NoServer()), TimeSpan.Zero);

        var answers = await Task.WhenAll(Enumerable.Range(0, concurrency).Select(i => Task.Run(async () =>
        {
            var invocation = new LambdaInvocation($"req-{i}", DateTimeOffset.UtcNow.AddSeconds(30), null, $"Root=1-trace-{i}", null, null, new byte[] { 1 });
            return await handler.AnswerAsync(invocation, CancellationToken.None);
        })));

        // Every invocation was inside AnswerAsync at once (the adapter's barrier), and each saw its own ids.
        Assert.Equal(concurrency, answers.Length);
        Assert.Equal(Enumerable.Range(0, concurrency).Select(i => $"req-{i}|Root=1-trace-{i}").Order(), adapter.Seen.Order());
        Assert.Null(Environment.GetEnvironmentVariable("_X_AMZN_TRACE_ID"));
        Assert.Null(InvocationContext.Current);
    }

    private sealed class ScopeRecordingAdapter(int participants) : LambdaEventAdapter
    {
        private readonly Barrier _allInside = new(participants);
        private readonly List<string> _seen = [];

        public IReadOnlyList<string> Seen
        {
            get
            {
                lock (_seen)
                {
                    return [.. _seen];
                }
            }
        }

        public override string DisplayName => "scope recorder";

        internal override async ValueTask<byte[]> HandleAsync(LambdaInvocation invocation, McpHandlers pipeline, InvocationContext context)
        {
            await Task.Run(() => _allInside.SignalAndWait(TimeSpan.FromSeconds(20)), context.Cancellation);
            await Task.Yield();

            // The context handed down is the one the log sees on this flow.
            Assert.Same(context, InvocationContext.Current);
            lock (_seen)
            {
                _seen.Add($"{context.RequestId}|{context.TraceId}");
            }

            return [];
        }

        internal override bool Accepts(LambdaInvocation invocation, EventShape shape) => true;

        internal override byte[] CreateLocalEvent(BufferedHttpRequest request, out string? clientContext) => throw new NotSupportedException();

        internal override BufferedHttpResponse ReadLocalResponse(ReadOnlySpan<byte> payload) => throw new NotSupportedException();
    }

    private sealed class NoServer : McpLambda.Runtime.JsonRpc.IMcpMessageHandler
    {
        public ValueTask<ModelContextProtocol.Protocol.JsonRpcMessage?> HandleAsync(
            ModelContextProtocol.Protocol.JsonRpcMessage message, IClientMessageSink? client, InvocationContext invocation)
            => ValueTask.FromResult<ModelContextProtocol.Protocol.JsonRpcMessage?>(null);
    }
}
