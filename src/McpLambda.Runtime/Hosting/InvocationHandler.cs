using McpLambda.Runtime.EventAdapters;
using McpLambda.Runtime.Invocations;
using McpLambda.Runtime.Observability;
using McpLambda.Runtime.RuntimeApi;

namespace McpLambda.Runtime.Hosting;

/// <summary>
/// Answers one invocation within its deadline, less a margin kept back so that a server that is too slow is
/// answered with a timeout error instead of being cut off by Lambda. The custom runtime loop and the managed
/// runtime's handler both answer through it. Everything about the invocation (ids, deadline, caller) travels in one
/// <see cref="InvocationContext"/>, passed down to the bridge and current on its async flow for the log, never in the
/// process environment, which concurrent invocation loops would overwrite for each other; its requests' metrics are
/// written when it ends.
/// </summary>
internal sealed class InvocationHandler(
    LambdaEventAdapter adapter, McpHandlers handlers, TimeSpan deadlineMargin, bool responseStreaming = false, RequestMetrics? metrics = null)
{
    /// <summary>The way in whose event <paramref name="invocation"/> carries (read once, then passed to the calls below).</summary>
    public LambdaEventAdapter WayInOf(LambdaInvocation invocation) => adapter.WayInOf(invocation);

    /// <summary>Whether the answer to <paramref name="invocation"/> is streamed: the function streams and its way in can.</summary>
    public bool Streams(LambdaEventAdapter wayIn, LambdaInvocation invocation) => responseStreaming && wayIn.CanStream(invocation);

    /// <summary>Writes the answer to <paramref name="invocation"/> into <paramref name="response"/> as it is produced.</summary>
    public Task StreamAsync(LambdaEventAdapter wayIn, LambdaInvocation invocation, RuntimeApiResponseStream response, CancellationToken cancellationToken)
        => RunAsync(invocation, async context =>
        {
            await wayIn.StreamAsync(invocation, handlers, response, context).ConfigureAwait(false);
            return true;
        }, cancellationToken);

    /// <summary>The response payload of <paramref name="invocation"/>.</summary>
    public ValueTask<byte[]> AnswerAsync(LambdaInvocation invocation, CancellationToken cancellationToken)
        => AnswerAsync(WayInOf(invocation), invocation, cancellationToken);

    /// <summary>The response payload of <paramref name="invocation"/>, whose way in is known.</summary>
    public async ValueTask<byte[]> AnswerAsync(LambdaEventAdapter wayIn, LambdaInvocation invocation, CancellationToken cancellationToken)
        => await RunAsync(invocation, context => wayIn.HandleAsync(invocation, handlers, context).AsTask(), cancellationToken).ConfigureAwait(false);

    /// <summary>Runs <paramref name="answer"/> in the invocation's context, bounded by its deadline less the margin; its metrics are written after.</summary>
    private async Task<T> RunAsync<T>(LambdaInvocation invocation, Func<InvocationContext, Task<T>> answer, CancellationToken cancellationToken)
    {
        var answerBy = invocation.Deadline - deadlineMargin;
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var remaining = answerBy - DateTimeOffset.UtcNow;
        deadline.CancelAfter(remaining > TimeSpan.Zero ? remaining : TimeSpan.Zero);
        using var context = new InvocationContext(invocation.RequestId, invocation.TraceId, answerBy, deadline.Token).Enter();
        try
        {
            return await answer(context).ConfigureAwait(false);
        }
        finally
        {
            metrics?.Flush(context);
        }
    }
}
