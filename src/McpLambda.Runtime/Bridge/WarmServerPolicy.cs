using McpLambda.Runtime.Invocations;
using McpLambda.Runtime.Observability;

namespace McpLambda.Runtime.Bridge;

/// <summary>
/// <see cref="McpServerLifetime.Warm"/>: one server, started during init, serves every invocation; it is started again
/// when it has died, and replaced between requests when a secret value changed.
/// </summary>
internal sealed class WarmServerPolicy : ServerLifetimePolicy
{
    /// <summary>How often a retired server that still answers requests is looked at, to stop it once it has none.</summary>
    private static readonly TimeSpan IdlePoll = TimeSpan.FromMilliseconds(50);

    private readonly ServerStarter _starter;
    private readonly SharedServerStart _start;
    private StdioServerConnection? _current;

    /// <summary>The secret values' version the current server was started with.</summary>
    private int _currentSecretsVersion;
    private bool _startedOnce;
    private volatile bool _disposed;

    public WarmServerPolicy(ServerStarter starter)
    {
        _starter = starter;
        _start = new SharedServerStart(StartAsync);
    }

    /// <inheritdoc/>
    public override Task StartAtInitAsync(CancellationToken cancellationToken)
        => _start.AcquireAsync(InvocationContext.Outside(cancellationToken), retry: false);

    /// <inheritdoc/>
    public override async Task<StdioServerConnection> AcquireAsync(InvocationContext invocation)
    {
        // Between requests: a changed value replaces the warm server below; an unchanged one keeps it.
        await _starter.RefreshSecretsAsync(invocation.Cancellation).ConfigureAwait(false);
        return Reusable ?? await _start.AcquireAsync(invocation, retry: true).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public override void Release(StdioServerConnection connection, InvocationContext invocation)
    {
    }

    /// <inheritdoc/>
    public override StdioServerConnection? Running(InvocationContext invocation) => _current is { IsAlive: true } current ? current : null;

    /// <inheritdoc/>
    public override async Task<bool> ServesOnAfterMissedDeadlineAsync(StdioServerConnection connection)
        => !await MissedDeadline.IsStuckAsync(connection).ConfigureAwait(false);

    /// <inheritdoc/>
    public override ValueTask RetireAsync(StdioServerConnection connection, InvocationContext invocation) => RetireAsync(connection);

    /// <inheritdoc/>
    public override void Discard(StdioServerConnection connection, InvocationContext invocation) => Discard(connection);

    /// <summary>Stops the server once it has answered the requests it has, and takes no more (its caller's place went to another).</summary>
    public void RetireWhenIdle()
    {
        _disposed = true;
        if (Interlocked.Exchange(ref _current, null) is { } connection)
        {
            RetireWhenIdle(connection);
        }

        _starter.Dispose();
    }

    private async ValueTask RetireAsync(StdioServerConnection connection)
    {
        Interlocked.CompareExchange(ref _current, null, connection);
        await connection.DisposeAsync().ConfigureAwait(false);
    }

    private void Discard(StdioServerConnection connection)
    {
        Interlocked.CompareExchange(ref _current, null, connection);
        StopInBackground(connection, "a dead MCP server");
    }

    /// <inheritdoc/>
    public override async ValueTask DisposeAsync()
    {
        _disposed = true;
        if (Interlocked.Exchange(ref _current, null) is { } connection)
        {
            await connection.DisposeAsync().ConfigureAwait(false);
        }

        _starter.Dispose();
    }

    /// <summary>The running server, unless a secret value changed since it started.</summary>
    private StdioServerConnection? Reusable => _current is { IsAlive: true } current && !_starter.Outdated(_currentSecretsVersion) ? current : null;

    /// <summary>One start of the server, shared by every request waiting for it (see <see cref="SharedServerStart"/>).</summary>
    /// <param name="invocation">The invocation whose request asked first: a restart is counted for it.</param>
    private async Task<StdioServerConnection> StartAsync(InvocationContext invocation)
    {
        if (Reusable is { } started)
        {
            // A start that ended just before this one was asked for.
            return started;
        }

        if (_current is { IsAlive: true } outdated)
        {
            Log.Info("a secret value changed: a new MCP server takes the next requests; the old one stops once it has answered those it has");
            RetireWhenIdle(outdated);
        }
        else if (_current is { } dead)
        {
            Log.Warn("the MCP server is gone (" + dead.ClosedReason + "); starting it again");
            Discard(dead);
        }

        // Bounded by the startup timeout, not by the deadline of whichever request came first.
        var (connection, secretsVersion) = await _starter.StartAsync(CancellationToken.None).ConfigureAwait(false);
        if (_startedOnce)
        {
            invocation.ServerRestarted();
        }

        _startedOnce = true;
        _currentSecretsVersion = secretsVersion;
        _current = connection;
        if (_disposed)
        {
            await RetireAsync(connection).ConfigureAwait(false);
            throw new StdioServerStartException($"The MCP server '{_starter.Options.Command}' was stopped: the function is shutting down.");
        }

        return connection;
    }

    /// <summary>
    /// Retires a server that still runs once nothing is in flight on it: the requests it has keep their answers, and new
    /// ones go to its successor.
    /// </summary>
    private void RetireWhenIdle(StdioServerConnection connection)
    {
        Interlocked.CompareExchange(ref _current, null, connection);
        _ = Task.Run(async () =>
        {
            while (connection.InFlight > 0 && connection.IsAlive)
            {
                await Task.Delay(IdlePoll).ConfigureAwait(false);
            }

            await connection.DisposeAsync().ConfigureAwait(false);
        });
    }
}
