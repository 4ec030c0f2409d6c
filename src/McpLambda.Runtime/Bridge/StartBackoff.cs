namespace McpLambda.Runtime.Bridge;

/// <summary>
/// Bounded exponential back-off for a server that fails at every start, so a broken server is not started again and
/// again. A start ended by a signal (the server killed from outside) is not the server's own failure: the wait after
/// it stays at the shortest, so the function serves again as soon as the fault stops. Not thread-safe: its owner locks.
/// </summary>
internal sealed class StartBackoff
{
    internal static readonly TimeSpan First = TimeSpan.FromMilliseconds(250);
    private static readonly TimeSpan Longest = TimeSpan.FromSeconds(30);
    private int _failures;
    private int _ownFailures;
    private DateTimeOffset _retryAt;
    private StdioServerStartException? _last;

    /// <summary>Whether the last start failed.</summary>
    public bool HasFailed => _last is not null;

    /// <summary>When the next start may be made; in the past when it may be made now.</summary>
    public DateTimeOffset NextAttemptAt => _last is null ? DateTimeOffset.MinValue : _retryAt;

    /// <summary>The last failure, saying how many starts failed in a row and when the next is due.</summary>
    public StdioServerStartException Error()
    {
        var last = _last ?? throw new InvalidOperationException("No start has failed.");
        var wait = _retryAt - DateTimeOffset.UtcNow;
        var next = wait > TimeSpan.Zero ? $"next attempt in {wait.TotalSeconds:0.0} s" : "next attempt now";
        var retry = $"failed {_failures} times in a row; {next}";
        return new StdioServerStartException($"{last.Message} ({retry})", last) { KilledBySignal = last.KilledBySignal, ExitCode = last.ExitCode, Retry = retry };
    }

    public void Failed(StdioServerStartException error)
    {
        _failures++;
        _last = error;
        if (!error.KilledBySignal)
        {
            _ownFailures++;
        }

        var delay = error.KilledBySignal || _ownFailures == 0
            ? First
            : TimeSpan.FromTicks(Math.Min(Longest.Ticks, First.Ticks << Math.Min(_ownFailures - 1, 16)));
        _retryAt = DateTimeOffset.UtcNow + delay;
    }

    public void Succeeded()
    {
        _failures = 0;
        _ownFailures = 0;
        _last = null;
    }
}
