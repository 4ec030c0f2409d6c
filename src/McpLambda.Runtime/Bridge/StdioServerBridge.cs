using System.Text.Json.Nodes;
using McpLambda.Runtime.Invocations;
using McpLambda.Runtime.JsonRpc;
using McpLambda.Runtime.Observability;
using McpLambda.Runtime.Protocol;
using McpLambda.Runtime.Secrets;
using ModelContextProtocol.Protocol;

namespace McpLambda.Runtime.Bridge;

/// <summary>
/// Forwards clients' JSON-RPC messages to the wrapped stdio server and returns its answers as they are. Which server
/// answers is its <see cref="ServerLifetimePolicy"/>'s choice: the bridge asks the policy for a server for each request
/// and gives it back after.
/// </summary>
internal sealed class StdioServerBridge : IMcpMessageHandler, IAsyncDisposable
{
    private readonly StdioServerOptions _options;
    private readonly ServerLifetimePolicy _lifetime;
    private readonly ServerRequestRelay _relay;
    private readonly ModernBridge _modern;

    /// <summary>Creates a bridge to the server <paramref name="options"/> describes; nothing starts until asked.</summary>
    public StdioServerBridge(StdioServerOptions options)
        : this(options, new ServerRequestRelay())
    {
    }

    /// <summary>
    /// Creates a bridge whose server's requests to clients go through <paramref name="relay"/>, and whose server starts with
    /// the values of <paramref name="secrets"/> (disposed with the bridge) in place of the references in its environment.
    /// </summary>
    /// <param name="options">The server.</param>
    /// <param name="relay">Where its requests to clients go.</param>
    /// <param name="secrets">The values of the references in its environment.</param>
    /// <param name="maxCallerServers">When a reference names the caller: the most servers of their own callers have at once.</param>
    /// <param name="modern">How modern (MCP 2026-07-28) requests are answered; the defaults unless given.</param>
    internal StdioServerBridge(StdioServerOptions options, ServerRequestRelay relay, ServerSecrets? secrets = null, int maxCallerServers = 4, ModernOptions? modern = null)
    {
        _modern = new ModernBridge(modern ?? new ModernOptions());
        _options = options;
        _relay = relay;
        _lifetime = ServerLifetimePolicy.For(options, relay, secrets, maxCallerServers);
    }

    /// <summary>The server's options.</summary>
    public StdioServerOptions Options => _options;

    /// <summary>Starts the server now (during function init) instead of at the first request.</summary>
    /// <exception cref="StdioServerStartException">The server could not start; the message says why.</exception>
    public Task StartAsync(CancellationToken cancellationToken) => _lifetime.StartAtInitAsync(cancellationToken);

    /// <inheritdoc/>
    public async ValueTask<JsonRpcMessage?> HandleAsync(JsonRpcMessage message, IClientMessageSink? client, InvocationContext invocation)
    {
        switch (message)
        {
            case JsonRpcRequest request:
                return await ForwardAsync(request, client, invocation).ConfigureAwait(false);
            case JsonRpcNotification notification when notification.Method is NotificationMethods.InitializedNotification or NotificationMethods.CancelledNotification:
                // The child was initialized by the bridge; a cancellation names the client's id, which the child never saw.
                return null;
            case JsonRpcNotification notification:
                if (_lifetime.Running(invocation) is { } running)
                {
                    try
                    {
                        await running.NotifyAsync(notification.Method, notification.Params, invocation.Cancellation).ConfigureAwait(false);
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
                return await _relay.AnswerAsync(answer, invocation.Cancellation).ConfigureAwait(false);
            default:
                return null;
        }
    }

    /// <summary>Stops the servers and their process trees.</summary>
    public async ValueTask DisposeAsync()
    {
        await _lifetime.DisposeAsync().ConfigureAwait(false);
        _relay.Dispose();
    }

    private async Task<JsonRpcMessage> ForwardAsync(JsonRpcRequest request, IClientMessageSink? client, InvocationContext invocation)
    {
        if (request.Method == RequestMethods.Initialize && _lifetime.KnownHandshake is { } known)
        {
            // Per-invocation servers are all the same server: the handshake of the last one answers without starting another.
            return new JsonRpcResponse { Id = request.Id, Result = InitializeAnswer(known, request.Params) };
        }

        // A modern client that closes its response stream cancels its request (MCP 2026-07-28); a legacy client's
        // disconnect is no cancellation (it may resume the stream), so its request runs on.
        using var streamClosed = ModernRequest.Declares(request) && client is { ClientGone.CanBeCanceled: true }
            ? CancellationTokenSource.CreateLinkedTokenSource(invocation.Cancellation, client.ClientGone)
            : null;
        var deadline = invocation.Cancellation;
        invocation = streamClosed is null ? invocation : invocation.WithCancellation(streamClosed.Token);
        var cancellationToken = invocation.Cancellation;
        for (var attempt = 1; ; attempt++)
        {
            StdioServerConnection connection;
            try
            {
                connection = await _lifetime.AcquireAsync(invocation).ConfigureAwait(false);
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
            catch (CallerRequiredException ex)
            {
                return JsonRpcMessages.Error(request.Id, JsonRpcErrorCodes.InvalidRequest, ex.Message);
            }

            try
            {
                return await ForwardToAsync(connection, request, client, invocation).ConfigureAwait(false);
            }
            catch (StdioServerClosedException ex) when (ex.RequestNotSent && attempt == 1)
            {
                // The warm server died between requests and this one never reached it: a new server may take it.
                Log.Warn($"the MCP server was gone before '{request.Method}' reached it ({ex.Reason}); starting it again");
                _lifetime.Discard(connection, invocation);
            }
            catch (StdioServerClosedException ex)
            {
                // The reason quotes the server's stderr, which may hold secrets: the caller gets the exit code and a reference.
                var reference = ErrorReport.Log("server", $"the MCP server stopped before answering '{request.Method}'", ex.Reason);
                return JsonRpcMessages.Error(request.Id, JsonRpcErrorCodes.ConnectionClosed,
                    $"The MCP server stopped before answering '{request.Method}'{(ex.ExitCode is { } code ? $": it exited with code {code}" : "")} ({reference}).");
            }
            catch (OperationCanceledException ex) when (cancellationToken.IsCancellationRequested && !deadline.IsCancellationRequested)
            {
                return await StreamClosedAsync(connection, request, (ex as ServerRequestCanceledException)?.ServerRequestId).ConfigureAwait(false);
            }
            catch (OperationCanceledException ex) when (cancellationToken.IsCancellationRequested)
            {
                return await MissedDeadlineAsync(connection, request, invocation, (ex as ServerRequestCanceledException)?.ServerRequestId).ConfigureAwait(false);
            }
            finally
            {
                _lifetime.Release(connection, invocation);
            }
        }
    }

    /// <summary>
    /// The answer to a request that missed its deadline. Only a stuck server is replaced (see <see cref="MissedDeadline"/>):
    /// one that still serves keeps serving the others in flight, and is told to cancel this request.
    /// </summary>
    private async Task<JsonRpcMessage> MissedDeadlineAsync(StdioServerConnection connection, JsonRpcRequest request, InvocationContext invocation, long? serverRequestId)
    {
        if (serverRequestId is not { } id || !await _lifetime.ServesOnAfterMissedDeadlineAsync(connection).ConfigureAwait(false))
        {
            // A server stuck for good would hold every later request too: replace it rather than queue more work behind it.
            Log.Warn($"'{request.Method}' missed the invocation deadline; replacing the server");
            await _lifetime.RetireAsync(connection, invocation).ConfigureAwait(false);
            return JsonRpcMessages.Error(request.Id, JsonRpcErrorCodes.RequestTimeout,
                $"The MCP server '{_options.Command}' did not answer '{request.Method}' before the invocation's deadline; it was stopped and will be restarted.");
        }

        Log.Warn($"'{request.Method}' missed the invocation deadline; cancelled it on the server, which still serves the others in flight");
        await MissedDeadline.CancelAsync(connection, id, request.Method, "it missed the invocation's deadline").ConfigureAwait(false);
        return JsonRpcMessages.Error(request.Id, JsonRpcErrorCodes.RequestTimeout,
            $"The MCP server '{_options.Command}' did not answer '{request.Method}' before the invocation's deadline; the request was cancelled.");
    }

    /// <summary>
    /// The answer to a modern request whose client closed its stream: the server is told to stop working on it and keeps
    /// serving (nobody reads the answer; the log and the metrics do).
    /// </summary>
    private async Task<JsonRpcMessage> StreamClosedAsync(StdioServerConnection connection, JsonRpcRequest request, long? serverRequestId)
    {
        Log.Info($"the client closed its stream before the answer to '{request.Method}'; cancelled it on the server");
        if (serverRequestId is { } id)
        {
            await MissedDeadline.CancelAsync(connection, id, request.Method, "the client closed its stream").ConfigureAwait(false);
        }

        return JsonRpcMessages.Error(request.Id, JsonRpcErrorCodes.RequestTimeout, $"The client closed its stream before the answer to '{request.Method}'; the request was cancelled.");
    }

    private async Task<JsonRpcMessage> ForwardToAsync(
        StdioServerConnection connection, JsonRpcRequest request, IClientMessageSink? client, InvocationContext invocation)
    {
        if (ModernRequest.Of(request) is { } modern)
        {
            return await _modern.AnswerAsync(connection, request, modern, client, invocation).ConfigureAwait(false);
        }

        if (request.Method == RequestMethods.Initialize)
        {
            return new JsonRpcResponse { Id = request.Id, Result = InitializeAnswer(connection.InitializeResult, request.Params) };
        }

        var answer = await connection.CallerRequestAsync(request.Method, request.Params, client, invocation).ConfigureAwait(false);
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
}
