namespace McpLambda.Runtime.Hosting;

/// <summary>
/// How the runtime loop rides out a failing Runtime API: each failure waits a bounded, doubling delay before the
/// next call; the API counts as gone (and the process exits) only after it has refused connections for
/// <see cref="GoneAfter"/> without a break, which in Lambda means the execution environment is being torn down.
/// </summary>
/// <param name="firstDelay">The wait after the first failure in a row.</param>
/// <param name="longestDelay">The most any wait grows to.</param>
/// <param name="goneAfter">How long connections must be refused before the loop gives up.</param>
internal sealed class RuntimeApiRetryPolicy(TimeSpan firstDelay, TimeSpan longestDelay, TimeSpan goneAfter)
{
    /// <summary>100 ms doubling to 2 s; gone after 10 s of refused connections.</summary>
    public static RuntimeApiRetryPolicy Default { get; } = new(TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(10));

    public TimeSpan GoneAfter { get; } = goneAfter;

    /// <summary>The wait after the <paramref name="failuresInARow"/>th failure in a row (1 for the first).</summary>
    public TimeSpan DelayAfter(int failuresInARow)
        => TimeSpan.FromTicks(Math.Min(longestDelay.Ticks, firstDelay.Ticks << Math.Clamp(failuresInARow - 1, 0, 16)));
}
