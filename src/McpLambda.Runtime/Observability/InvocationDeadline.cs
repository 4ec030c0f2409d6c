namespace McpLambda.Runtime.Observability;

/// <summary>
/// The time by which the current invocation must be answered (its deadline less the margin), for code deeper down that
/// must decide whether waiting is still worth it, such as a request that finds the server backing off. It flows with
/// the invocation's asynchronous calls; outside an invocation it is unknown.
/// </summary>
internal static class InvocationDeadline
{
    private static readonly AsyncLocal<DateTimeOffset?> s_current = new();

    /// <summary>The current invocation's answer-by time, or null when unknown.</summary>
    public static DateTimeOffset? Current => s_current.Value;

    /// <summary>Makes <paramref name="answerBy"/> the current deadline until the returned scope is disposed.</summary>
    public static Scope Enter(DateTimeOffset answerBy)
    {
        var previous = s_current.Value;
        s_current.Value = answerBy;
        return new Scope(previous);
    }

    /// <summary>Restores the deadline that was current before <see cref="Enter"/>.</summary>
    public readonly struct Scope(DateTimeOffset? previous) : IDisposable
    {
        public void Dispose() => s_current.Value = previous;
    }
}
