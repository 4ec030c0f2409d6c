using System.Net.Sockets;

namespace McpLambda.Runtime.Hosting;

/// <summary>
/// One runtime loop's run of failed Runtime API calls: how long to wait before the next call, and whether the
/// API has refused connections for long enough to count as gone. A success ends the run.
/// </summary>
internal sealed class RuntimeApiOutage(RuntimeApiRetryPolicy policy)
{
    private int _failures;
    private DateTimeOffset? _refusedSince;

    /// <summary>How long connections have been refused without a break, or null when the last failure was another kind.</summary>
    public TimeSpan? RefusedFor => _refusedSince is { } since ? DateTimeOffset.UtcNow - since : null;

    /// <summary>Whether connections have been refused for the policy's whole grace period.</summary>
    public bool IsGone => RefusedFor >= policy.GoneAfter;

    /// <summary>Records <paramref name="error"/> and returns the wait before the next call.</summary>
    public TimeSpan Failed(Exception error)
    {
        _failures++;
        _refusedSince = IsConnectionRefused(error) ? _refusedSince ?? DateTimeOffset.UtcNow : null;
        return policy.DelayAfter(_failures);
    }

    public void Succeeded()
    {
        _failures = 0;
        _refusedSince = null;
    }

    /// <summary>Nothing listens at the Runtime API's address any more (other failures may be passing).</summary>
    private static bool IsConnectionRefused(Exception error)
        => error is HttpRequestException { InnerException: SocketException { SocketErrorCode: SocketError.ConnectionRefused } };
}
