using System.Text.Json.Nodes;
using McpLambda.Runtime.Invocations;
using McpLambda.Runtime.Observability;
using McpLambda.Runtime.Secrets;

namespace McpLambda.Runtime.Bridge;

/// <summary>
/// How long a server lives and who it serves: each policy acquires a server for a request, takes it back after, and
/// holds what that needs (a warm server and its shared start, or the back-off of fresh starts). The bridge asks its
/// policy for a server and gives it back, whatever the lifetime.
/// </summary>
internal abstract class ServerLifetimePolicy : IAsyncDisposable
{
    /// <summary>
    /// The policy of <paramref name="options"/>: a server per verified caller when a secret reference names the caller,
    /// else the lifetime <paramref name="options"/> asks for.
    /// </summary>
    /// <param name="options">The server as declared.</param>
    /// <param name="relay">Where the servers' requests to clients go.</param>
    /// <param name="secrets">The values of the references in the server's environment; disposed with the policy.</param>
    /// <param name="maxCallerServers">The most servers of callers of their own that run at once.</param>
    public static ServerLifetimePolicy For(StdioServerOptions options, ServerRequestRelay relay, ServerSecrets? secrets, int maxCallerServers)
    {
        if (secrets is { NamesCaller: true })
        {
            return new PerCallerServerPolicy(options, relay, secrets, maxCallerServers);
        }

        var starter = new ServerStarter(options, relay, secrets);
        return options.Lifetime == McpServerLifetime.PerInvocation ? new PerInvocationServerPolicy(starter) : new WarmServerPolicy(starter);
    }

    /// <summary>
    /// The handshake that answers <c>initialize</c> without a server, or null when a server answers it: every server of a
    /// per-invocation policy is the same server.
    /// </summary>
    public virtual JsonNode? KnownHandshake => null;

    /// <summary>Starts the server during function init, proving it starts; the first failure is reported (an init error).</summary>
    /// <exception cref="StdioServerStartException">The server could not start; the message says why.</exception>
    public abstract Task StartAtInitAsync(CancellationToken cancellationToken);

    /// <summary>A server for one request of <paramref name="invocation"/>; give it back with <see cref="Release"/>.</summary>
    /// <exception cref="StdioServerStartException">No server could be started in time; the message says why.</exception>
    /// <exception cref="OperationCanceledException">The invocation's deadline passed while the server started.</exception>
    public abstract Task<StdioServerConnection> AcquireAsync(InvocationContext invocation);

    /// <summary>Takes back the server of a request of <paramref name="invocation"/> that was answered (or failed).</summary>
    public abstract void Release(StdioServerConnection connection, InvocationContext invocation);

    /// <summary>The running server a notification of <paramref name="invocation"/>'s caller goes to; null when none is kept.</summary>
    public abstract StdioServerConnection? Running(InvocationContext invocation);

    /// <summary>
    /// Whether <paramref name="connection"/> goes on serving after one of its requests missed the deadline (then that
    /// request alone is cancelled on it); when not, the bridge retires it.
    /// </summary>
    public abstract Task<bool> ServesOnAfterMissedDeadlineAsync(StdioServerConnection connection);

    /// <summary>Stops <paramref name="connection"/>, acquired for <paramref name="invocation"/>, now: the next request gets another server.</summary>
    public abstract ValueTask RetireAsync(StdioServerConnection connection, InvocationContext invocation);

    /// <summary>
    /// Lets go of a server that is already gone, without making the request wait: collecting a dead child's exit and last
    /// stderr lines can take a while on a busy machine, and the request has a deadline.
    /// </summary>
    public abstract void Discard(StdioServerConnection connection, InvocationContext invocation);

    /// <summary>Stops every server the policy holds.</summary>
    public abstract ValueTask DisposeAsync();

    /// <summary>Disposes <paramref name="connection"/> off the caller's path, logging (not throwing) a failure.</summary>
    protected static void StopInBackground(StdioServerConnection connection, string what)
        => _ = Task.Run(async () =>
        {
            try
            {
                await connection.DisposeAsync().ConfigureAwait(false);
            }
            catch (Exception ex)
            {
                Log.Warn($"stopping {what} failed: {ex.Message}");
            }
        });
}
