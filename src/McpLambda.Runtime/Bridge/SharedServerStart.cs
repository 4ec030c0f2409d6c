using McpLambda.Runtime.Invocations;

namespace McpLambda.Runtime.Bridge;

/// <summary>
/// The starts of a warm server, shared by every request that needs it. One start runs at a time, on its own clock (the
/// startup timeout), not on any one request's deadline. A request that arrives while a start runs waits for it; one
/// that arrives while the back-off holds waits for the next attempt, as long as its deadline allows; it gets the start
/// error only when the next attempt would come after its deadline.
/// </summary>
/// <param name="start">
/// Starts the server for the invocation that asked first, and makes it current; throws <see cref="StdioServerStartException"/> on failure.
/// </param>
internal sealed class SharedServerStart(Func<InvocationContext, Task<StdioServerConnection>> start)
{
    private readonly object _lock = new();
    private readonly StartBackoff _backoff = new();
    private Task<StdioServerConnection>? _starting;

    /// <summary>A started server, from the start under way or the next one the back-off allows.</summary>
    /// <param name="invocation">
    /// The caller's invocation: when it must have its answer (unknown: it waits until cancelled) and its cancellation.
    /// </param>
    /// <param name="retry">Whether to wait for further attempts after one fails (requests) or fail with the first (function init).</param>
    /// <exception cref="StdioServerStartException">No start succeeded in time: the last start error.</exception>
    /// <exception cref="OperationCanceledException">The deadline passed while the first start ran.</exception>
    public async Task<StdioServerConnection> AcquireAsync(InvocationContext invocation, bool retry)
    {
        var (answerBy, cancellationToken) = (invocation.AnswerBy, invocation.Cancellation);
        while (true)
        {
            Task<StdioServerConnection>? attempt;
            DateTimeOffset nextAttempt;
            lock (_lock)
            {
                nextAttempt = _backoff.NextAttemptAt;
                attempt = _starting ??= DateTimeOffset.UtcNow >= nextAttempt ? RunAsync(invocation) : null;
            }

            if (attempt is null)
            {
                await WaitForNextAttemptAsync(nextAttempt, answerBy, retry, cancellationToken).ConfigureAwait(false);
                continue;
            }

            try
            {
                return await attempt.WaitAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (StdioServerStartException) when (retry && !cancellationToken.IsCancellationRequested)
            {
                // The next attempt may still come within the deadline.
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                throw LastErrorOr(new OperationCanceledException(cancellationToken));
            }
        }
    }

    private async Task WaitForNextAttemptAsync(DateTimeOffset nextAttempt, DateTimeOffset? answerBy, bool retry, CancellationToken cancellationToken)
    {
        if (!retry || nextAttempt >= answerBy)
        {
            throw LastErrorOr(null);
        }

        try
        {
            var wait = nextAttempt - DateTimeOffset.UtcNow;
            await Task.Delay(wait > TimeSpan.Zero ? wait : TimeSpan.Zero, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw LastErrorOr(null);
        }
    }

    private Exception LastErrorOr(Exception? otherwise)
    {
        lock (_lock)
        {
            return _backoff.HasFailed ? _backoff.Error() : otherwise ?? new InvalidOperationException("No start has failed.");
        }
    }

    private async Task<StdioServerConnection> RunAsync(InvocationContext invocation)
    {
        // Never completes inside the caller's lock.
        await Task.Yield();
        try
        {
            var connection = await start(invocation).ConfigureAwait(false);
            lock (_lock)
            {
                _backoff.Succeeded();
                _starting = null;
            }

            return connection;
        }
        catch (Exception ex)
        {
            var error = ex as StdioServerStartException ?? new StdioServerStartException("The MCP server could not start: " + ex.Message, ex);
            lock (_lock)
            {
                _backoff.Failed(error);
                _starting = null;
            }

            throw error;
        }
    }
}
