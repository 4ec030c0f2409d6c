using McpLambda.Runtime.EventAdapters;
using McpLambda.Runtime.Observability;
using McpLambda.Runtime.RuntimeApi;


namespace McpLambda.Runtime.Hosting;

/// <summary>
/// Answers one invocation within its deadline, less a margin kept back so that a server that is too slow is
/// answered with a timeout error instead of being cut off by Lambda. The custom runtime loop and the managed
/// runtime's handler both answer through it.
/// </summary>
internal sealed class InvocationHandler(LambdaEventAdapter adapter, McpHandlers handlers, TimeSpan deadlineMargin, RequestMetrics? metrics = null)
{
    /// <summary>The response payload of <paramref name="invocation"/>.</summary>
    public async ValueTask<byte[]> AnswerAsync(LambdaInvocation invocation, CancellationToken cancellationToken)
    {
        // The request and trace ids travel with this invocation's async flow (the log reads them there), not in the
        // process environment, which concurrent invocation loops would overwrite for each other.
        using var scope = InvocationScope.Enter(invocation.RequestId, invocation.TraceId);
        try
        {
            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            var remaining = invocation.Deadline - DateTimeOffset.UtcNow - deadlineMargin;
            deadline.CancelAfter(remaining > TimeSpan.Zero ? remaining : TimeSpan.Zero);
            return await adapter.HandleAsync(invocation, handlers, deadline.Token).ConfigureAwait(false);
        }
        finally
        {
            metrics?.Flush(scope);
        }
    }
}
