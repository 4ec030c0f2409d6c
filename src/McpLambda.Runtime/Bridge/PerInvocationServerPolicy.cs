using System.Text.Json.Nodes;
using McpLambda.Runtime.Invocations;

namespace McpLambda.Runtime.Bridge;

/// <summary>
/// <see cref="McpServerLifetime.PerInvocation"/>: each request gets a fresh server, stopped once it has answered. One
/// start runs at a time; inside the back-off window after a failed start, a request gets that failure at once.
/// </summary>
internal sealed class PerInvocationServerPolicy(ServerStarter starter) : ServerLifetimePolicy
{
    private readonly SemaphoreSlim _startGate = new(1, 1);
    private readonly StartBackoff _backoff = new();
    private JsonNode? _lastHandshake;

    /// <inheritdoc/>
    public override JsonNode? KnownHandshake => Volatile.Read(ref _lastHandshake);

    /// <inheritdoc/>
    public override async Task StartAtInitAsync(CancellationToken cancellationToken)
        => await (await StartAsync(cancellationToken).ConfigureAwait(false)).DisposeAsync().ConfigureAwait(false);

    /// <inheritdoc/>
    public override async Task<StdioServerConnection> AcquireAsync(InvocationContext invocation)
    {
        await starter.RefreshSecretsAsync(invocation.Cancellation).ConfigureAwait(false);
        return await StartAsync(invocation.Cancellation).ConfigureAwait(false);
    }

    /// <summary>The answer is ready: stop the server after it goes out rather than make the caller wait for the exit.</summary>
    public override void Release(StdioServerConnection connection, InvocationContext invocation) => StopInBackground(connection, "a per-invocation server");

    /// <inheritdoc/>
    public override StdioServerConnection? Running(InvocationContext invocation) => null;

    /// <inheritdoc/>
    public override Task<bool> ServesOnAfterMissedDeadlineAsync(StdioServerConnection connection) => Task.FromResult(false);

    /// <inheritdoc/>
    public override ValueTask RetireAsync(StdioServerConnection connection, InvocationContext invocation) => connection.DisposeAsync();

    /// <inheritdoc/>
    public override void Discard(StdioServerConnection connection, InvocationContext invocation) => StopInBackground(connection, "a dead MCP server");

    /// <inheritdoc/>
    public override ValueTask DisposeAsync()
    {
        starter.Dispose();
        return ValueTask.CompletedTask;
    }

    private async Task<StdioServerConnection> StartAsync(CancellationToken cancellationToken)
    {
        await _startGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (DateTimeOffset.UtcNow < _backoff.NextAttemptAt)
            {
                throw _backoff.Error();
            }

            StartedServer started;
            try
            {
                started = await starter.StartAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (StdioServerStartException ex)
            {
                _backoff.Failed(ex);
                throw;
            }

            _backoff.Succeeded();
            Volatile.Write(ref _lastHandshake, started.Connection.InitializeResult);
            return started.Connection;
        }
        finally
        {
            _startGate.Release();
        }
    }
}
