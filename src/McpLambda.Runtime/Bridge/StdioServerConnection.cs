using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using McpLambda.Runtime.Invocations;
using McpLambda.Runtime.JsonRpc;
using McpLambda.Runtime.Observability;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;
using McpLambda.Runtime.Protocol;

namespace McpLambda.Runtime.Bridge;

/// <summary>
/// One running child server: the SDK's stream transport over its bounded standard streams, the requests waiting for its answers
/// (keyed by ids this connection assigns, so concurrent callers' ids never clash), and a reader loop
/// that routes what the child sends.
/// </summary>
internal sealed class StdioServerConnection : IAsyncDisposable
{
    private readonly ConcurrentDictionary<long, TaskCompletionSource<JsonRpcMessage>> _pending = new();
    private readonly ConcurrentDictionary<long, NotificationListener> _listeners = new();

    /// <summary><c>notifications/message</c>: still sent by servers of every protocol revision this runtime accepts.</summary>
    private const string LogMessageMethod = "notifications/message";
    private readonly StderrTail _stderr;
    private readonly InFlightRequests _inFlight;
    private readonly string _commandLine;
    private readonly ServerRequestRelay _relay;
    private readonly bool _offersClientRequests;
    private StdioServerProcess? _process;
    private ITransport? _transport;
    private Task? _reader;
    private long _nextId;
    private volatile string? _closedReason;

    private StdioServerConnection(string commandLine, StderrTail stderr, InFlightRequests inFlight, ServerRequestRelay relay, bool offersClientRequests)
    {
        _offersClientRequests = offersClientRequests;
        _commandLine = commandLine;
        _stderr = stderr;
        _inFlight = inFlight;
        _relay = relay;
    }

    /// <summary>The child's answer to <c>initialize</c>.</summary>
    public JsonNode InitializeResult { get; private set; } = new JsonObject();

    /// <summary>
    /// The child's answer to the <c>server/discover</c> probe when it lists MCP 2026-07-28 among its supported versions (a
    /// modern child, whose modern requests pass through unchanged); null for a legacy child. Only modern requests wait for
    /// it: the probe follows the handshake, so a start (and a legacy client) never waits for a child that ignores it.
    /// </summary>
    public Task<JsonObject?> DiscoverResult { get; private set; } = Task.FromResult<JsonObject?>(null);

    /// <summary>Whether the child is still there to take requests.</summary>
    public bool IsAlive => _closedReason is null;

    /// <summary>Why the connection closed, naming exit code and last stderr lines.</summary>
    public string? ClosedReason => _closedReason;

    /// <summary>How many requests wait for the child's answer.</summary>
    public int InFlight => _pending.Count;

    /// <summary>The child's tools' arguments that HTTP clients mirror into <c>Mcp-Param-*</c> headers, listed when first needed.</summary>
    public ToolHeaderCatalog ToolHeaders { get; } = new();

    /// <summary>Starts the child and runs the MCP handshake with it; its requests to clients go through <paramref name="relay"/>.</summary>
    public static Task<StdioServerConnection> StartAsync(StdioServerOptions options, ServerRequestRelay relay, CancellationToken cancellationToken)
    {
        // The child's reader loops outlive the invocation that happens to start it: they must not carry its
        // invocation scope, or their log lines would name that invocation's request for as long as the server lives.
        using (ExecutionContext.SuppressFlow())
        {
            return Task.Run(() => StartInBackgroundAsync(options, relay, cancellationToken), CancellationToken.None);
        }
    }

    private static async Task<StdioServerConnection> StartInBackgroundAsync(StdioServerOptions options, ServerRequestRelay relay, CancellationToken cancellationToken)
    {
        var inFlight = new InFlightRequests();
        var stderr = new StderrTail(20, inFlight);
        var connection = new StdioServerConnection(options.ToString(), stderr, inFlight, relay, options.OffersClientRequests);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(options.StartupTimeout);
        try
        {
            connection._process = StdioServerProcess.Start(options, stderr.Add);
            connection._transport = await connection._process.Transport.ConnectAsync(timeout.Token).ConfigureAwait(false);
            connection._reader = Task.Run(connection.ReadLoopAsync, CancellationToken.None);
            await connection.InitializeAsync(timeout.Token).ConfigureAwait(false);

            // The era probe follows the handshake: a legacy server answers an unknown method after initialize as the
            // protocol says, where one before it might not, and nothing that does not need the answer waits for it.
            connection.DiscoverResult = connection.ProbeAsync(options.DiscoverProbeBound);
            return connection;
        }
        catch (Exception ex)
        {
            var reason = connection._closedReason ?? await connection.DescribeAsync(ex, timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested
                ? $"did not answer initialize within {options.StartupTimeout.TotalSeconds:0.#} s"
                : null).ConfigureAwait(false);
            var exitCode = connection._process?.ExitedCode;
            await connection.DisposeAsync().ConfigureAwait(false);
            throw new StdioServerStartException($"The MCP server '{connection._commandLine}' could not start: {reason}", ex)
            {
                KilledBySignal = ExitCodes.IsSignal(exitCode),
                ExitCode = exitCode,
            };
        }
    }

    /// <summary>Sends a request of the runtime's own (a ping, the handshake) under a fresh id and waits for the child's answer.</summary>
    /// <returns>The child's response or error, with the id this connection assigned.</returns>
    public Task<JsonRpcMessage> RequestAsync(string method, JsonNode? parameters, CancellationToken cancellationToken)
        => SendRequestAsync(Interlocked.Increment(ref _nextId), method, parameters, null, cancellationToken);

    /// <summary>
    /// Sends a caller's request under a fresh id and waits for the child's answer; meanwhile <paramref name="client"/>
    /// gets the notifications that belong to it (see <see cref="NotificationListener"/>), and the server's requests to the
    /// client when it takes them live, before the answer. The caller counts as in flight (see <see cref="CallersInFlight"/>)
    /// whether or not it takes messages.
    /// </summary>
    /// <returns>The child's response or error, with the id this connection assigned.</returns>
    public Task<JsonRpcMessage> CallerRequestAsync(string method, JsonNode? parameters, IClientMessageSink? client, InvocationContext invocation)
    {
        var id = Interlocked.Increment(ref _nextId);
        (parameters, _listeners[id]) = NotificationListener.Create(id, parameters, client, invocation.AnswerBy);
        return SendRequestAsync(id, method, parameters, invocation, invocation.Cancellation);
    }

    /// <summary>Sends a request for <c>invocation</c> (null for the runtime's own) and waits for its answer.</summary>
    private async Task<JsonRpcMessage> SendRequestAsync(long id, string method, JsonNode? parameters, InvocationContext? invocation, CancellationToken cancellationToken)
    {
        using var inFlight = _inFlight.Enter(invocation);
        var answer = new TaskCompletionSource<JsonRpcMessage>(TaskCreationOptions.RunContinuationsAsynchronously);
        _pending[id] = answer;

        try
        {
            if (_closedReason is { } reason)
            {
                throw new StdioServerClosedException(reason, requestNotSent: true);
            }

            try
            {
                await _transport!.SendMessageAsync(new JsonRpcRequest { Id = new RequestId(id), Method = method, Params = parameters }, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is IOException or ClientTransportClosedException or ObjectDisposedException)
            {
                // The child exited before the reader loop noticed: the request never reached it.
                _closedReason ??= await DescribeAsync(ex, null).ConfigureAwait(false);
                throw new StdioServerClosedException(_closedReason, requestNotSent: true);
            }

            try
            {
                return await answer.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                throw new ServerRequestCanceledException(id, cancellationToken);
            }
        }
        finally
        {
            _pending.TryRemove(id, out _);
            if (_listeners.TryRemove(id, out var ended) && ended.LiveClient is not null)
            {
                _relay.Abandon(this, id);
            }
        }
    }

    /// <summary>Sends a notification to the child.</summary>
    public Task NotifyAsync(string method, JsonNode? parameters, CancellationToken cancellationToken)
        => SendAsync(new JsonRpcNotification { Method = method, Params = parameters }, cancellationToken);

    /// <summary>Sends a message to the child as it is (e.g. a client's answer to the child's request).</summary>
    public Task SendAsync(JsonRpcMessage message, CancellationToken cancellationToken)
        => _transport!.SendMessageAsync(message, cancellationToken);

    /// <summary>Ends the child and its process tree.</summary>
    public async ValueTask DisposeAsync()
    {
        _closedReason ??= "the server was stopped";
        if (_transport is { } transport)
        {
            await transport.DisposeAsync().ConfigureAwait(false);
        }

        if (_process is { } process)
        {
            await process.DisposeAsync().ConfigureAwait(false);
        }

        if (_reader is { } reader)
        {
            await reader.ConfigureAwait(false);
        }

        FailPending();
    }

    private async Task InitializeAsync(CancellationToken cancellationToken)
    {
        var parameters = new JsonObject
        {
            ["protocolVersion"] = McpProtocolVersions.Latest,
            // Roots describe one client's workspace, which a server shared by every caller cannot have: not offered.
            ["capabilities"] = _offersClientRequests
                ? new JsonObject { ["sampling"] = new JsonObject(), ["elicitation"] = new JsonObject() }
                : new JsonObject(),
            ["clientInfo"] = ClientInfo(),
        };
        var answer = await RequestAsync(RequestMethods.Initialize, parameters, cancellationToken).ConfigureAwait(false);
        switch (answer)
        {
            case JsonRpcResponse { Result: { } result }:
                InitializeResult = result;
                break;
            case JsonRpcError error:
                throw new InvalidOperationException($"it refused initialize: {error.Error.Message} ({error.Error.Code})");
            default:
                throw new InvalidOperationException("it answered initialize without a result");
        }

        await NotifyAsync(NotificationMethods.InitializedNotification, null, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// The stdio binding's era probe: a modern <c>server/discover</c>. A legacy child answers it with an error, or not at
    /// all (the probe then ends after <paramref name="bound"/>); either way it is legacy (null). The choice is logged once.
    /// </summary>
    private async Task<JsonObject?> ProbeAsync(TimeSpan bound)
    {
        using var unanswered = new CancellationTokenSource(bound);
        var modern = await ProbeAsync(unanswered.Token).ConfigureAwait(false);
        Log.Info(modern is null
            ? $"the MCP server does not list MCP {McpProtocolVersions.Modern} in a server/discover answer: modern requests are translated to its legacy session"
            : $"the MCP server lists MCP {McpProtocolVersions.Modern} in its server/discover answer: modern requests pass through to it unchanged");
        return modern;
    }

    private async Task<JsonObject?> ProbeAsync(CancellationToken cancellationToken)
    {
        var parameters = new JsonObject
        {
            ["_meta"] = new JsonObject
            {
                [McpMetaKeys.ProtocolVersion] = McpProtocolVersions.Modern,
                [McpMetaKeys.ClientCapabilities] = new JsonObject(),
                [McpMetaKeys.ClientInfo] = ClientInfo(),
            },
        };
        try
        {
            return await RequestAsync(RequestMethods.ServerDiscover, parameters, cancellationToken).ConfigureAwait(false) is JsonRpcResponse { Result: JsonObject result }
                && result["supportedVersions"] is JsonArray versions
                && versions.Any(v => v is JsonValue value && value.TryGetValue<string>(out var version) && version == McpProtocolVersions.Modern)
                ? result
                : null;
        }
        catch (Exception ex) when (ex is OperationCanceledException or StdioServerClosedException or IOException or InvalidOperationException or ObjectDisposedException)
        {
            // Unanswered within the bound, or the child is gone (its next request says why).
            return null;
        }
    }

    private static JsonObject ClientInfo()
        => new() { ["name"] = "mcp-lambda", ["version"] = typeof(StdioServerConnection).Assembly.GetName().Version?.ToString(3) };

    private async Task ReadLoopAsync()
    {
        try
        {
            await foreach (var message in _transport!.MessageReader.ReadAllAsync().ConfigureAwait(false))
            {
                await RouteAsync(message).ConfigureAwait(false);
            }

            _closedReason ??= await DescribeAsync(null, null).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            _closedReason ??= await DescribeAsync(ex, null).ConfigureAwait(false);
        }

        FailPending();
    }

    private async ValueTask RouteAsync(JsonRpcMessage message)
    {
        switch (message)
        {
            case JsonRpcMessageWithId { Id.Id: long id } answer and (JsonRpcResponse or JsonRpcError):
                if (_pending.TryGetValue(id, out var waiter))
                {
                    waiter.TrySetResult(answer);
                }
                else
                {
                    Log.Warn($"server answered id {id}, which no request is waiting for (it may have timed out)");
                }

                break;
            case JsonRpcRequest request:
                await PassToClientAsync(request).ConfigureAwait(false);
                break;
            case JsonRpcNotification notification:
                Deliver(notification);
                break;
            default:
                Log.Warn("server sent a message that answers no request; ignored");
                break;
        }
    }

    /// <summary>
    /// A request the server makes of the client (sampling, elicitation, roots) goes to the one call in flight whose client
    /// takes its answer live, and comes back through the relay. With no such call (a buffered answer cannot show the
    /// client a request before it ends) or several (stdio does not say which call asks), the server is refused at once
    /// rather than left waiting until the deadline. The relay returns at once, so the reader never waits on its store.
    /// </summary>
    private async ValueTask PassToClientAsync(JsonRpcRequest request)
    {
        var (callers, call, listener) = CallersInFlight();
        if (callers == 1 && listener!.ModernCall is { } modern && modern.TryTake(this, request))
        {
            return;
        }

        if (callers == 1 && listener!.LiveClient is { } client)
        {
            _relay.Forward(this, request, call, client, listener.Deadline);
            return;
        }

        var why = callers > 1
            ? $"{callers} calls from different clients are in flight on this server and stdio does not say which of them asks"
            : "no client can answer it now: a client sees a server's request only on a streamed event-stream answer (a function with response streaming, and a client that accepts text/event-stream), while a call is in flight";
        Log.Warn($"server sent a '{request.Method}' request; refused: {why}");
        try
        {
            await SendAsync(JsonRpcMessages.Error(request.Id, JsonRpcErrorCodes.MethodNotFound, $"'{request.Method}' cannot reach the client: {why}."), CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or InvalidOperationException or ObjectDisposedException)
        {
            Log.Warn("could not refuse the server's request: " + ex.Message);
        }
    }

    /// <summary>
    /// The different callers with requests in flight on this server (the requests of one POST are one caller's; a
    /// request whose caller takes nothing is a caller of its own), and one request of the first. A message of the
    /// server's that names no request belongs to a caller only when there is exactly one.
    /// </summary>
    private (int Count, long Call, NotificationListener? Listener) CallersInFlight()
    {
        var callers = new List<NotificationListener>(2);
        (long Call, NotificationListener? Listener) first = default;
        foreach (var (call, listener) in _listeners)
        {
            // A modern call waiting for its client's input asks nothing more until it has it: the server's message is another call's.
            if (listener.ModernCall is { IsWaitingForInput: true })
            {
                continue;
            }

            if (!callers.Exists(listener.SameCaller))
            {
                callers.Add(listener);
                first = callers.Count == 1 ? (call, listener) : first;
            }
        }

        return (callers.Count, first.Call, first.Listener);
    }

    /// <summary>
    /// Progress goes to the request whose token it carries. A log message names no request: it goes to the caller in
    /// flight only when there is exactly one, never to one caller for another's call. Other notifications (a list
    /// changed, a resource updated) describe the session, not a call; a stateless endpoint has no standing stream to
    /// carry them, so they are logged, like anything no caller takes.
    /// </summary>
    private void Deliver(JsonRpcNotification notification)
    {
        var delivered = false;
        if (notification.Method == NotificationMethods.ToolListChangedNotification)
        {
            ToolHeaders.Forget();
        }

        if (NotificationListener.ProgressRequestId(notification) is { } id)
        {
            delivered = _listeners.TryGetValue(id, out var listener) && listener.Progress(notification);
        }
        else if (notification.Method == LogMessageMethod && CallersInFlight() is (1, _, { } sole))
        {
            delivered = sole.Other(notification);
        }

        if (!delivered)
        {
            Log.Info($"server notification {notification.Method} {notification.Params?.ToJsonString()}");
        }
    }

    private void FailPending()
    {
        var reason = _closedReason ?? "the server closed";
        foreach (var (_, waiter) in _pending)
        {
            waiter.TrySetException(new StdioServerClosedException(reason) { ExitCode = _process?.ExitedCode });
        }
    }

    private async Task<string> DescribeAsync(Exception? ex, string? what)
    {
        var exitCode = _process is { } process ? await process.ExitCodeAsync().ConfigureAwait(false) : null;
        what ??= exitCode is { } code ? $"it exited with code {code}"
            : ex is null or ClientTransportClosedException ? "it closed its output"
            : ex.Message.TrimEnd('.');
        var tail = _stderr.Lines;
        return tail.Count == 0 ? what + " (no stderr output)." : what + ". Last stderr lines: " + string.Join(" | ", tail);
    }
}
