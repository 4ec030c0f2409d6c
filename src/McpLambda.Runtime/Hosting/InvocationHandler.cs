using McpLambda.Runtime.EventAdapters;
using McpLambda.Runtime.Observability;
using McpLambda.Runtime.RuntimeApi;


namespace McpLambda.Runtime.Hosting;

/// <summary>
/// Answers one invocation within its deadline, less a margin kept back so that a server that is too slow is
/// answered with a timeout error instead of being cut off by Lambda. The custom runtime loop and the managed
/// runtime's handler both answer through it. The invocation's request and trace ids travel with its async flow
/// (<see cref="InvocationScope"/>, which the log reads), not in the process environment, which concurrent invocation
/// loops would overwrite for each other; its requests' metrics are written when it ends.
/// </summary>
internal sealed class InvocationHandler(
    LambdaEventAdapter adapter, McpHandlers handlers, TimeSpan deadlineMargin, bool responseStreaming = false, RequestMetrics? metrics = null)
{
    /// <summary>Whether the answer to <paramref name="invocation"/> is streamed: the function streams and its front door can.</summary>
    public bool Streams(LambdaInvocation invocation) => responseStreaming && adapter.CanStream(invocation);

    /// <summary>Writes the answer to <paramref name="invocation"/> into <paramref name="response"/> as it is produced.</summary>
    public Task StreamAsync(LambdaInvocation invocation, RuntimeApiResponseStream response, CancellationToken cancellationToken)
        => RunAsync(invocation, async deadline =>
        {
            await adapter.StreamAsync(invocation, handlers, response, deadline).ConfigureAwait(false);
            return true;
        }, cancellationToken);

    /// <summary>The response payload of <paramref name="invocation"/>.</summary>
    public async ValueTask<byte[]> AnswerAsync(LambdaInvocation invocation, CancellationToken cancellationToken)
        => await RunAsync(invocation, deadline => adapter.HandleAsync(invocation, handlers, deadline).AsTask(), cancellationToken).ConfigureAwait(false);

    /// <summary>Runs <paramref name="answer"/> in the invocation's scope, bounded by its deadline less the margin; its metrics are written after.</summary>
    private async Task<T> RunAsync<T>(LambdaInvocation invocation, Func<CancellationToken, Task<T>> answer, CancellationToken cancellationToken)
    {
        using var scope = InvocationScope.Enter(invocation.RequestId, invocation.TraceId);
        try
        {
            using var deadline = Deadline(invocation, cancellationToken);
            using var answerBy = InvocationDeadline.Enter(invocation.Deadline - deadlineMargin);
            return await answer(deadline.Token).ConfigureAwait(false);
        }
        finally
        {
            metrics?.Flush(scope);
        }
    }

    private CancellationTokenSource Deadline(LambdaInvocation invocation, CancellationToken cancellationToken)
    {
        var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var remaining = invocation.Deadline - DateTimeOffset.UtcNow - deadlineMargin;
        deadline.CancelAfter(remaining > TimeSpan.Zero ? remaining : TimeSpan.Zero);
        return deadline;
    }
}
