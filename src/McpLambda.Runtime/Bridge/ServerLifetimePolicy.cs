namespace McpLambda.Runtime.Bridge;

/// <summary>
/// What differs between one warm server for every invocation and a fresh server per invocation; the bridge
/// asks its policy at each of those points instead of testing the lifetime itself.
/// </summary>
internal abstract class ServerLifetimePolicy
{
    /// <summary>The policy of <paramref name="lifetime"/>.</summary>
    public static ServerLifetimePolicy For(McpServerLifetime lifetime)
        => lifetime == McpServerLifetime.PerInvocation ? PerInvocationServerPolicy.Instance : WarmServerPolicy.Instance;

    /// <summary>Whether a started server is kept to serve later requests and notifications.</summary>
    public abstract bool KeepsServer { get; }

    /// <summary>
    /// Whether <c>initialize</c> is answered from the last server's handshake without starting a server: every
    /// server of a per-invocation bridge is the same server.
    /// </summary>
    public abstract bool AnswersInitializeFromLastHandshake { get; }

    /// <summary>The kept server, when it is still running.</summary>
    public StdioServerConnection? Reusable(StdioServerConnection? current)
        => KeepsServer && current is { IsAlive: true } ? current : null;

    /// <summary>After the start during function init, which proved that the server starts.</summary>
    public abstract ValueTask AfterInitStartAsync(StdioServerConnection connection);

    /// <summary>After a request on <paramref name="connection"/> was answered (or failed).</summary>
    public abstract void AfterRequest(StdioServerConnection connection);
}
