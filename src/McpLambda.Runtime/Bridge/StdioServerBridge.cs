using System.Text.Json.Nodes;
using McpLambda.Runtime.JsonRpc;
using McpLambda.Runtime.Observability;
using McpLambda.Runtime.Secrets;
using ModelContextProtocol.Protocol;
using McpLambda.Runtime.Protocol;

namespace McpLambda.Runtime.Bridge;

/// <summary>
/// Forwards clients' JSON-RPC messages to the wrapped stdio server and returns its answers as they are.
/// Under <see cref="McpServerLifetime.Warm"/> one child serves every invocation and is started again
/// when it has died; under <see cref="McpServerLifetime.PerInvocation"/> each request gets a fresh one.
/// </summary>
internal sealed class StdioServerBridge : IMcpMessageHandler, IAsyncDisposable
{
    private readonly StdioServerOptions _options;
    private readonly ServerLifetimePolicy _lifetime;
    /// <summary>How often a retired server that still answers requests is looked at, to stop it once it has none.</summary>
    private static readonly TimeSpan IdlePoll = TimeSpan.FromMilliseconds(50);

    private readonly SemaphoreSlim _startGate = new(1, 1);
    private readonly StartBackoff _backoff = new();
    private readonly SharedServerStart _warmStart;
    private readonly ServerRequestRelay _relay;
    private readonly ServerSecrets? _secrets;
    private StdioServerConnection? _current;

    /// <summary>The <see cref="SecretValues.Version"/> the warm server was started with.</summary>
    private int _currentSecretsVersion;
    private JsonNode? _lastInitializeResult;
    private volatile bool _disposed;

    /// <summary>Creates a bridge to the server <paramref name="options"/> describes; nothing starts until asked.</summary>
    public StdioServerBridge(StdioServerOptions options)
        : this(options, new ServerRequestRelay())
    {
    }

    /// <summary>
    /// Creates a bridge whose server's requests to clients go through <paramref name="relay"/>, and whose server starts with
    /// the values of <paramref name="secrets"/> (disposed with the bridge) in place of the references in its environment.
    /// </summary>
    internal StdioServerBridge(StdioServerOptions options, ServerRequestRelay relay, ServerSecrets? secrets = null)
    {
        _options = options;
        _lifetime = ServerLifetimePolicy.For(options.Lifetime);
        _relay = relay;
        _secrets = secrets;
        _warmStart = new SharedServerStart(StartWarmAsync);
    }

    /// <summary>The server's options.</summary>
    public StdioServerOptions Options => _options;

    /// <summary>Starts and initializes the warm child now (during function init) instead of at the first request.</summary>
    /// <exception cref="StdioServerStartException">The server could not start; the message says why.</exception>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        // Init reports the first failure (a Runtime API init error) rather than waiting for further attempts.
        var connection = await AcquireAsync(retry: false, cancellationToken).ConfigureAwait(false);
        await _lifetime.AfterInitStartAsync(connection).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public ValueTask<JsonRpcMessage?> HandleAsync(JsonRpcMessage message, CancellationToken cancellationToken)
        => HandleMessageAsync(message, null, cancellationToken);

    /// <inheritdoc/>
    public ValueTask<JsonRpcMessage?> HandleAsync(JsonRpcMessage message, IClientMessageSink client, CancellationToken cancellationToken)
        => HandleMessageAsync(message, client, cancellationToken);

    private async ValueTask<JsonRpcMessage?> HandleMessageAsync(JsonRpcMessage message, IClientMessageSink? client, CancellationToken cancellationToken)
    {
        switch (message)
        {
            case JsonRpcRequest request:
                return await ForwardAsync(request, client, cancellationToken).ConfigureAwait(false);
            case JsonRpcNotification notification when notification.Method is NotificationMethods.InitializedNotification or NotificationMethods.CancelledNotification:
                // The child was initialized by the bridge; a cancellation names the client's id, which the child never saw.
                return null;
            case JsonRpcNotification notification:
                if (_lifetime.Reusable(_current) is { } current)
                {
                    try
                    {
                        await current.NotifyAsync(notification.Method, notification.Params, cancellationToken).ConfigureAwait(false);
                    }
                    catch (Exception ex) when (ex is IOException or InvalidOperationException or ObjectDisposedException)
                    {
                        // A notification has no answer to carry an error; the next request restarts the server.
                        Log.Warn($"could not pass '{notification.Method}' to the server: {ex.Message}");
                    }
                }

                return null;
            case JsonRpcMessageWithId answer:
                // A client's answer to a request the server made of it.
                return await _relay.AnswerAsync(answer, cancellationToken).ConfigureAwait(false);
            default:
                return null;
        }
    }

    /// <summary>Stops the child and its process tree.</summary>
    public async ValueTask DisposeAsync()
    {
        _disposed = true;
        if (Interlocked.Exchange(ref _current, null) is { } connection)
        {
            await connection.DisposeAsync().ConfigureAwait(false);
        }

        _relay.Dispose();
        _secrets?.Dispose();
    }

    private async Task<JsonRpcMessage> ForwardAsync(JsonRpcRequest request, IClientMessageSink? client, CancellationToken cancellationToken)
    {
        if (request.Method == RequestMethods.Initialize && _lifetime.AnswersInitializeFromLastHandshake && _lastInitializeResult is { } known)
        {
            // Per-invocation servers are all the same server: the handshake of the last one answers without starting another.
            return new JsonRpcResponse { Id = request.Id, Result = InitializeAnswer(known, request.Params) };
        }

        for (var attempt = 1; ; attempt++)
        {
            StdioServerConnection connection;
            try
            {
                connection = await AcquireAsync(retry: true, cancellationToken).ConfigureAwait(false);
            }
            catch (StdioServerStartException ex)
            {
                var reference = ErrorReport.Log("server", $"'{request.Method}' found no server", ex.Message);
                return JsonRpcMessages.Error(request.Id, JsonRpcErrorCodes.InternalError, ex.CallerMessage(_options.Command, reference));
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return JsonRpcMessages.Error(request.Id, JsonRpcErrorCodes.RequestTimeout,
                    $"The MCP server '{_options.Command}' did not start before the invocation's deadline.");
            }

            try
            {
                return await ForwardToAsync(connection, request, client, cancellationToken).ConfigureAwait(false);
            }
            catch (StdioServerClosedException ex) when (ex.RequestNotSent && attempt == 1)
            {
                // The warm server died between requests and this one never reached it: a new server may take it.
                Log.Warn($"the MCP server was gone before '{request.Method}' reached it ({ex.Reason}); starting it again");
                RetireInBackground(connection);
            }
            catch (StdioServerClosedException ex)
            {
                // The reason quotes the server's stderr, which may hold secrets: the caller gets the exit code and a reference.
                var reference = ErrorReport.Log("server", $"the MCP server stopped before answering '{request.Method}'", ex.Reason);
                return JsonRpcMessages.Error(request.Id, JsonRpcErrorCodes.ConnectionClosed,
                    $"The MCP server stopped before answering '{request.Method}'{(ex.ExitCode is { } code ? $": it exited with code {code}" : "")} ({reference}).");
            }
            catch (OperationCanceledException ex) when (cancellationToken.IsCancellationRequested)
            {
                return await MissedDeadlineAsync(connection, request, (ex as ServerRequestCanceledException)?.ServerRequestId).ConfigureAwait(false);
            }
            finally
            {
                _lifetime.AfterRequest(connection);
            }
        }
    }

    /// <summary>
    /// The answer to a request that missed its deadline. Only a stuck server is replaced (see <see cref="MissedDeadline"/>):
    /// one that still serves keeps serving the others in flight, and is told to cancel this request.
    /// </summary>
    private async Task<JsonRpcMessage> MissedDeadlineAsync(StdioServerConnection connection, JsonRpcRequest request, long? serverRequestId)
    {
        if (!_lifetime.KeepsServer || serverRequestId is not { } id || await MissedDeadline.IsStuckAsync(connection).ConfigureAwait(false))
        {
            // A server stuck for good would hold every later request too: replace it rather than queue more work behind it.
            Log.Warn($"'{request.Method}' missed the invocation deadline; replacing the server");
            await RetireAsync(connection).ConfigureAwait(false);
            return JsonRpcMessages.Error(request.Id, JsonRpcErrorCodes.RequestTimeout,
                $"The MCP server '{_options.Command}' did not answer '{request.Method}' before the invocation's deadline; it was stopped and will be restarted.");
        }

        Log.Warn($"'{request.Method}' missed the invocation deadline; cancelled it on the server, which still serves the others in flight");
        await MissedDeadline.CancelAsync(connection, id, request.Method).ConfigureAwait(false);
        return JsonRpcMessages.Error(request.Id, JsonRpcErrorCodes.RequestTimeout,
            $"The MCP server '{_options.Command}' did not answer '{request.Method}' before the invocation's deadline; the request was cancelled.");
    }

    private static async Task<JsonRpcMessage> ForwardToAsync(
        StdioServerConnection connection, JsonRpcRequest request, IClientMessageSink? client, CancellationToken cancellationToken)
    {
        if (request.Method == RequestMethods.Initialize)
        {
            return new JsonRpcResponse { Id = request.Id, Result = InitializeAnswer(connection.InitializeResult, request.Params) };
        }

        var answer = await connection.CallerRequestAsync(request.Method, request.Params, client, cancellationToken).ConfigureAwait(false);
        return answer switch
        {
            JsonRpcError error => new JsonRpcError { Id = request.Id, Error = error.Error },
            JsonRpcResponse response => new JsonRpcResponse { Id = request.Id, Result = response.Result },
            _ => JsonRpcMessages.Error(request.Id, JsonRpcErrorCodes.InternalError, "The MCP server sent an answer of an unknown kind."),
        };
    }

    /// <summary>
    /// The child's own capabilities and server info, under the protocol version the client asked for
    /// when the bridge knows it and it is no newer than the child's; else the child's version, which
    /// the spec lets a client accept or decline.
    /// </summary>
    private static JsonNode InitializeAnswer(JsonNode childResult, JsonNode? clientParams)
    {
        var answer = childResult.DeepClone();
        var childVersion = childResult["protocolVersion"]?.GetValue<string>();
        if ((clientParams as JsonObject)?["protocolVersion"] is JsonValue requested && requested.TryGetValue<string>(out var version)
            && McpProtocolVersions.Supported.Contains(version) && childVersion is not null && string.CompareOrdinal(version, childVersion) <= 0)
        {
            answer["protocolVersion"] = version;
        }

        return answer;
    }

    private async Task<StdioServerConnection> AcquireAsync(bool retry, CancellationToken cancellationToken)
    {
        if (_secrets is { RefreshDue: true })
        {
            // Between requests: a changed value replaces the warm server below; an unchanged one keeps it.
            await _secrets.RefreshAsync(cancellationToken).ConfigureAwait(false);
        }

        if (_lifetime.Reusable(_current) is { } warm && !SecretsChanged)
        {
            return warm;
        }

        return _lifetime.KeepsServer
            ? await _warmStart.AcquireAsync(InvocationDeadline.Current, retry, cancellationToken).ConfigureAwait(false)
            : await StartFreshAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>One start of the warm server, shared by every request waiting for it (see <see cref="SharedServerStart"/>).</summary>
    private async Task<StdioServerConnection> StartWarmAsync()
    {
        if (_lifetime.Reusable(_current) is { } started && !SecretsChanged)
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
            RetireInBackground(dead);
        }

        // Bounded by the startup timeout, not by the deadline of whichever request came first.
        var (options, secretsVersion) = await StartOptionsAsync().ConfigureAwait(false);
        var connection = await StdioServerConnection.StartAsync(options, _relay, CancellationToken.None).ConfigureAwait(false);
        if (_lastInitializeResult is not null)
        {
            // Counted for the invocation whose request started it (its scope flows into the shared start).
            InvocationScope.Current?.ServerRestarted();
        }

        _lastInitializeResult = connection.InitializeResult;
        _currentSecretsVersion = secretsVersion;
        _current = connection;
        if (_disposed)
        {
            await RetireAsync(connection).ConfigureAwait(false);
            throw new StdioServerStartException($"The MCP server '{_options.Command}' was stopped: the function is shutting down.");
        }

        return connection;
    }

    /// <summary>A server of its own for one request (<see cref="McpServerLifetime.PerInvocation"/>); inside the back-off window the last failure at once.</summary>
    private async Task<StdioServerConnection> StartFreshAsync(CancellationToken cancellationToken)
    {
        await _startGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (DateTimeOffset.UtcNow < _backoff.NextAttemptAt)
            {
                throw _backoff.Error();
            }

            StdioServerConnection connection;
            try
            {
                var (options, _) = await StartOptionsAsync().ConfigureAwait(false);
                connection = await StdioServerConnection.StartAsync(options, _relay, cancellationToken).ConfigureAwait(false);
            }
            catch (StdioServerStartException ex)
            {
                _backoff.Failed(ex);
                throw;
            }

            _backoff.Succeeded();
            _lastInitializeResult = connection.InitializeResult;
            return connection;
        }
        finally
        {
            _startGate.Release();
        }
    }

    /// <summary>Whether a secret value changed since the warm server started: it is replaced before the next request reaches it.</summary>
    private bool SecretsChanged => _secrets is not null && _secrets.CurrentVersion != _currentSecretsVersion;

    /// <summary>The options a start uses: the references in the server's environment replaced by their values.</summary>
    /// <exception cref="StdioServerStartException">A reference could not be resolved; the message names it and says why.</exception>
    private async Task<(StdioServerOptions Options, int SecretsVersion)> StartOptionsAsync()
    {
        if (_secrets is null)
        {
            return (_options, 0);
        }

        try
        {
            var values = await _secrets.CurrentAsync().ConfigureAwait(false);
            return (values.ApplyTo(_options), values.Version);
        }
        catch (SecretResolutionException ex)
        {
            throw new StdioServerStartException($"The MCP server '{_options}' could not start: {ex.Message}", ex);
        }
    }

    private async ValueTask RetireAsync(StdioServerConnection connection)
    {
        Interlocked.CompareExchange(ref _current, null, connection);
        await connection.DisposeAsync().ConfigureAwait(false);
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

    /// <summary>
    /// Retires a server that is already gone without making the request wait: collecting a dead child's exit and last
    /// stderr lines can take a while on a busy machine, and the request has a deadline.
    /// </summary>
    private void RetireInBackground(StdioServerConnection connection)
    {
        Interlocked.CompareExchange(ref _current, null, connection);
        _ = Task.Run(async () =>
        {
            try
            {
                await connection.DisposeAsync().ConfigureAwait(false);
            }
            catch (Exception ex)
            {
                Log.Warn("cleaning up a dead MCP server failed: " + ex.Message);
            }
        });
    }
}
