namespace McpLambda.Runtime.Bridge;

/// <summary>
/// Bounded exponential back-off for a server that dies at every start: callers in the window get the
/// last failure at once instead of each paying for (and spinning on) another doomed start.
/// </summary>
internal sealed class StartBackoff
{
    private static readonly TimeSpan First = TimeSpan.FromMilliseconds(250);
    private static readonly TimeSpan Longest = TimeSpan.FromSeconds(30);
    private int _failures;
    private DateTimeOffset _retryAt;
    private StdioServerStartException? _last;

    public void ThrowIfWaiting()
    {
        if (_last is { } last && DateTimeOffset.UtcNow < _retryAt)
        {
            throw new StdioServerStartException(
                $"{last.Message} (failed {_failures} times in a row; next attempt in {(_retryAt - DateTimeOffset.UtcNow).TotalSeconds:0.0} s)", last);
        }
    }

    public void Failed(StdioServerStartException error)
    {
        _failures++;
        _last = error;
        var delay = TimeSpan.FromTicks(Math.Min(Longest.Ticks, First.Ticks << Math.Min(_failures - 1, 16)));
        _retryAt = DateTimeOffset.UtcNow + delay;
    }

    public void Succeeded()
    {
        _failures = 0;
        _last = null;
    }
}
