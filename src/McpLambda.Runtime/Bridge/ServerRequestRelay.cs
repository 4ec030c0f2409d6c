using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using System.Text.Json;
using McpLambda.Runtime.JsonRpc;
using McpLambda.Runtime.Observability;
using McpLambda.Runtime.Protocol;
using McpLambda.Runtime.Relay;
using ModelContextProtocol.Protocol;

namespace McpLambda.Runtime.Bridge;

/// <summary>
/// The server's requests to a client (sampling, elicitation, roots, ping) on their way out on the client's event stream,
/// and the client's answers, which arrive as new POSTs, on their way back to the server that waits for them. Outgoing
/// requests get ids of their own, random for each request (<see cref="UnguessableId"/>), so that answers on concurrent
/// streams never mix, a stray answer is recognised as one, and no caller can guess another caller's id to answer for it. With a store (<see cref="IServerRequestStore"/>), an
/// answer that reaches another execution environment is stored there and taken here, polled every
/// <see cref="PollInterval"/>. Work on the store never runs on the server's reader nor holds up a call's answer: while
/// the store is slow, the server's other answers and the call's own timeout still arrive on time.
/// </summary>
internal sealed class ServerRequestRelay(IServerRequestStore? store = null, TimeSpan? pollInterval = null) : IDisposable
{
    /// <summary>How many failed reads of the store in a row end a wait: enough to ride out throttling, few enough that a
    /// lasting failure (access denied, a deleted table) fails the server's request long before its deadline.</summary>
    internal const int MaxConsecutiveReadFailures = 5;

    /// <summary>How long a request without a known deadline may wait (Lambda's longest invocation).</summary>
    private static readonly TimeSpan LongestCall = TimeSpan.FromMinutes(15);

    /// <summary>How long one call to the store may take before it counts as failed.</summary>
    private static readonly TimeSpan StoreCallBound = TimeSpan.FromSeconds(5);

    private const string IdPrefix = "mcp-lambda-";
    private readonly ConcurrentDictionary<string, Waiting> _waiting = new();

    /// <summary>How often a request waiting for an answer from another environment looks for it in the store.</summary>
    public TimeSpan PollInterval { get; } = pollInterval ?? TimeSpan.FromMilliseconds(100);

    /// <summary>
    /// Sends <paramref name="request"/>, made by <paramref name="server"/> during its request <paramref name="call"/>, to
    /// <paramref name="client"/>; with a store, records it there first (refusing the server if it cannot be). Returns at
    /// once: the caller is the server's reader, which must go on delivering the server's answers meanwhile. Should the
    /// client go away while the request waits, the server is told at once (see <see cref="IClientMessageSink.ClientGone"/>).
    /// </summary>
    public void Forward(StdioServerConnection server, JsonRpcRequest request, long call, IClientMessageSink client, DateTimeOffset? deadline)
    {
        var id = UnguessableId.New(IdPrefix);
        var waiting = new Waiting(server, request.Id, call, request.Method);
        var outgoing = new JsonRpcRequest { Id = new RequestId(id), Method = request.Method, Params = request.Params };

        // Waiting from now on, so that a call ending while the record is being added finds it and tells the server at once.
        _waiting[id] = waiting;
        waiting.WatchClient(client.ClientGone, () => InBackground(() => ClientGoneAsync(id, waiting)));
        if (store is null)
        {
            client.Send(outgoing);
            return;
        }

        InBackground(() => RecordAsync(id, waiting, outgoing, client, deadline ?? DateTimeOffset.UtcNow + LongestCall));
    }

    /// <summary>Passes a client's answer to the server waiting for it (here, or through the store in another environment).</summary>
    /// <returns>Null when it was taken; otherwise the error (without an id) that refuses it.</returns>
    public async ValueTask<JsonRpcError?> AnswerAsync(JsonRpcMessageWithId answer, CancellationToken cancellationToken)
    {
        if (answer.Id.Id is string id && _waiting.TryRemove(id, out var waiting))
        {
            waiting.StopWaiting();
            if (store is not null)
            {
                InBackground(() => ForgetAsync(id));
            }

            return await DeliverAsync(waiting, answer).ConfigureAwait(false);
        }

        return answer.Id.Id is string elsewhere && store is not null && elsewhere.StartsWith(IdPrefix, StringComparison.Ordinal)
            ? await StoreAnswerAsync(elsewhere, answer, cancellationToken).ConfigureAwait(false)
            : JsonRpcMessages.Error(default, JsonRpcErrorCodes.InvalidRequest, NotWaiting(answer.Id));
    }

    /// <summary>
    /// The server's call <paramref name="call"/> has ended (answered, or past its deadline): whatever the server asked the
    /// client during it can no longer be answered, and the server is told so rather than left waiting. Returns at once:
    /// the call's answer must not wait for the store, so telling the server and removing the records run in the background.
    /// </summary>
    public void Abandon(StdioServerConnection server, long call)
    {
        foreach (var (id, waiting) in _waiting)
        {
            if (waiting.Server == server && waiting.Call == call && _waiting.TryRemove(id, out _))
            {
                waiting.StopWaiting();
                InBackground(async () =>
                {
                    await TellServerAsync(server, JsonRpcMessages.Error(waiting.ServerId, JsonRpcErrorCodes.RequestTimeout,
                        $"The client did not answer '{waiting.Method}' before the call that asked it ended.")).ConfigureAwait(false);
                    if (store is not null)
                    {
                        await ForgetAsync(id).ConfigureAwait(false);
                    }
                });
            }
        }
    }

    /// <inheritdoc/>
    public void Dispose() => (store as IDisposable)?.Dispose();

    private static string NotWaiting(RequestId id)
        => $"No server request with id {id} is waiting for an answer here: it was answered already, the call that made it has ended, or it was made in another execution environment.";

    /// <summary>
    /// Records the request in the store, then asks the client. A call that ended while the record was being added told
    /// the server then (see <see cref="Abandon"/>), and may have removed the record before it existed: it goes now.
    /// </summary>
    private async Task RecordAsync(string id, Waiting waiting, JsonRpcRequest outgoing, IClientMessageSink client, DateTimeOffset until)
    {
        try
        {
            using var bound = new CancellationTokenSource(StoreCallBound);
            await store!.AddAsync(id, waiting.Method, until, bound.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            var failure = RelayFailure.Report($"the server's '{waiting.Method}' request ({id}) could not be recorded for relaying", ex);
            await EndWaitAsync(id, waiting, $"'{waiting.Method}' cannot reach the client: the relay that carries its answer between execution environments failed ({failure}).").ConfigureAwait(false);
            return;
        }

        if (!_waiting.ContainsKey(id))
        {
            await ForgetAsync(id).ConfigureAwait(false);
            return;
        }

        _ = PollAsync(id, waiting, until);
        client.Send(outgoing);
    }

    /// <summary>Stores a client's answer for the environment that waits for it.</summary>
    private async ValueTask<JsonRpcError?> StoreAnswerAsync(string id, JsonRpcMessageWithId answer, CancellationToken cancellationToken)
    {
        var json = JsonRpcMessages.ToUtf8(answer);
        RelayAnswerOutcome outcome;
        try
        {
            outcome = await store!.AnswerAsync(id, Encoding.UTF8.GetString(json), cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (IsStoreFailure(ex, cancellationToken))
        {
            var failure = RelayFailure.Report($"the answer to {id} could not be stored for the execution environment that asked", ex);
            return JsonRpcMessages.Error(default, JsonRpcErrorCodes.InternalError, $"The answer to {answer.Id} could not be relayed to the execution environment that asked ({failure}).");
        }

        switch (outcome)
        {
            case RelayAnswerOutcome.Accepted:
                Log.Info($"the answer to {id} was stored for the execution environment that asked");
                return null;
            case RelayAnswerOutcome.TooLarge:
                return await RefuseTooLargeAsync(id, json.Length, cancellationToken).ConfigureAwait(false);
            default:
                return JsonRpcMessages.Error(default, JsonRpcErrorCodes.InvalidRequest, outcome switch
                {
                    RelayAnswerOutcome.Expired => $"The server request {answer.Id} is no longer waiting: its call has passed its deadline.",
                    RelayAnswerOutcome.AlreadyAnswered => $"The server request {answer.Id} was answered already.",
                    RelayAnswerOutcome.OtherFunction => $"The server request {answer.Id} was made by another function.",
                    _ => NotWaiting(answer.Id),
                });
        }
    }

    /// <summary>
    /// Refuses an answer too large for the store (413), and stores an error in its place, which is small, so that the
    /// server waiting in the other environment learns why at once instead of at its deadline.
    /// </summary>
    private async ValueTask<JsonRpcError> RefuseTooLargeAsync(string id, int bytes, CancellationToken cancellationToken)
    {
        var limit = store!.MaxRecordBytes;
        var why = string.Create(CultureInfo.InvariantCulture,
            $"{bytes:N0} bytes: a record of the relay's table holds at most {limit:N0} bytes ({limit / 1024:N0} KB, DynamoDB's item size limit), the request's own fields included");
        try
        {
            var forServer = JsonRpcMessages.Error(new RequestId(id), JsonRpcErrorCodes.InternalError, $"The client's answer could not be relayed between execution environments: it is {why}.");
            await store.AnswerAsync(id, Encoding.UTF8.GetString(JsonRpcMessages.ToUtf8(forServer)), cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (IsStoreFailure(ex, cancellationToken))
        {
            RelayFailure.Report($"the server waiting for {id} could not be told that its answer is too large to relay", ex);
        }

        Log.Warn($"the answer to {id} was refused: it is {why}");
        return JsonRpcMessages.Error(default, JsonRpcErrorCodes.InvalidRequest, $"The answer to {id} is {why}. The server that asked was told.")
            .WithHttpStatus(413);
    }

    /// <summary>
    /// Looks for an answer stored by another environment until one comes, the request is answered here, or its call ends.
    /// A read that fails now and then does not end the wait; <see cref="MaxConsecutiveReadFailures"/> in a row do, with
    /// one log line, rather than one at every poll until the deadline.
    /// </summary>
    private async Task PollAsync(string id, Waiting waiting, DateTimeOffset until)
    {
        var token = waiting.Polling.Token;
        for (var failures = 0; !token.IsCancellationRequested && DateTimeOffset.UtcNow < until;)
        {
            string? stored;
            try
            {
                await Task.Delay(PollInterval, token).ConfigureAwait(false);
                using var bound = CancellationTokenSource.CreateLinkedTokenSource(token);
                bound.CancelAfter(StoreCallBound);
                stored = await store!.TakeAnswerAsync(id, bound.Token).ConfigureAwait(false);
                failures = 0;
            }
            catch (OperationCanceledException) when (token.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                if (++failures < MaxConsecutiveReadFailures)
                {
                    continue;
                }

                var failure = RelayFailure.Report($"looking for the answer to '{waiting.Method}' ({id}) failed {failures} times in a row", ex);
                if (await EndWaitAsync(id, waiting, $"The function could not read the client's answer to '{waiting.Method}' from the relay that carries it between execution environments ({failure}).").ConfigureAwait(false))
                {
                    await ForgetAsync(id).ConfigureAwait(false);
                }

                return;
            }

            if (stored is not null)
            {
                if (_waiting.TryRemove(id, out _))
                {
                    await DeliverAsync(waiting, ReadStored(id, waiting.Method, stored)).ConfigureAwait(false);
                }

                return;
            }
        }
    }

    /// <summary>The stored answer as the server gets it: the client's response, or an error saying it could not be read back.</summary>
    private static JsonRpcMessageWithId ReadStored(string id, string method, string stored)
    {
        string? problem;
        try
        {
            using var document = JsonDocument.Parse(stored);
            if (JsonRpcMessages.TryRead(document.RootElement, out problem) is { } message and (JsonRpcResponse or JsonRpcError))
            {
                return (JsonRpcMessageWithId)message;
            }

            problem ??= "it is not a JSON-RPC response";
        }
        catch (JsonException ex)
        {
            problem = ex.Message;
        }

        var failure = RelayFailure.Report($"the answer to '{method}' ({id}) stored in the relay ({stored.Length} characters) cannot be read", problem);
        return JsonRpcMessages.Error(new RequestId(id), JsonRpcErrorCodes.InternalError, $"The client's answer to '{method}' could not be read back from the relay ({failure}).");
    }

    /// <summary>Fails the server's request because its client has gone: no answer can come any more.</summary>
    private async Task ClientGoneAsync(string id, Waiting waiting)
    {
        if (!await EndWaitAsync(id, waiting, $"The client disconnected before it answered '{waiting.Method}'.", JsonRpcErrorCodes.ConnectionClosed).ConfigureAwait(false))
        {
            return;
        }

        Log.Warn($"the client went away while the server's '{waiting.Method}' request ({id}) waited for its answer; the server was told");
        if (store is not null)
        {
            await ForgetAsync(id).ConfigureAwait(false);
        }
    }

    /// <summary>Fails the server's request with <paramref name="message"/>, unless it is no longer waiting (then it was told already).</summary>
    /// <returns>Whether it was still waiting.</returns>
    private async ValueTask<bool> EndWaitAsync(string id, Waiting waiting, string message, int code = JsonRpcErrorCodes.InternalError)
    {
        if (!_waiting.TryRemove(id, out _))
        {
            return false;
        }

        waiting.StopWaiting();
        await TellServerAsync(waiting.Server, JsonRpcMessages.Error(waiting.ServerId, code, message)).ConfigureAwait(false);
        return true;
    }

    private async Task ForgetAsync(string id)
    {
        try
        {
            using var bound = new CancellationTokenSource(StoreCallBound);
            await store!.RemoveAsync(id, bound.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // The item's TTL removes it.
            Log.Warn($"could not remove the relay record {id}: {ex.Message}");
        }
    }

    /// <summary>A failure of the store's, as opposed to the caller's deadline passing (which the caller handles).</summary>
    private static bool IsStoreFailure(Exception ex, CancellationToken cancellationToken)
        => ex is not OutOfMemoryException && (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested);

    /// <summary>
    /// Runs work on the store off the caller's path (the server's reader, the end of a call), where a slow store would
    /// hold up the server's answers or the call's. Nothing awaits it, so whatever it fails with is logged.
    /// </summary>
    private static void InBackground(Func<Task> work)
        => _ = Task.Run(work).ContinueWith(
            failed => Log.Error("relaying a server request failed: " + failed.Exception!.GetBaseException().Message),
            CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);

    private static async ValueTask<JsonRpcError?> DeliverAsync(Waiting waiting, JsonRpcMessageWithId answer)
    {
        JsonRpcMessage forServer = answer is JsonRpcError error
            ? new JsonRpcError { Id = waiting.ServerId, Error = error.Error }
            : new JsonRpcResponse { Id = waiting.ServerId, Result = (answer as JsonRpcResponse)?.Result };
        return await TellServerAsync(waiting.Server, forServer).ConfigureAwait(false)
            ? null
            : JsonRpcMessages.Error(default, JsonRpcErrorCodes.ConnectionClosed, $"The MCP server that asked '{waiting.Method}' is gone; the answer could not be passed on.");
    }

    private static async ValueTask<bool> TellServerAsync(StdioServerConnection server, JsonRpcMessage message)
    {
        try
        {
            await server.SendAsync(message, CancellationToken.None).ConfigureAwait(false);
            return true;
        }
        catch (Exception ex) when (ex is IOException or InvalidOperationException or ObjectDisposedException)
        {
            // The server is gone: nobody waits any more.
            return false;
        }
    }

    private sealed record Waiting(StdioServerConnection Server, RequestId ServerId, long Call, string Method)
    {
        private CancellationTokenRegistration _clientWatch;

        public CancellationTokenSource Polling { get; } = new();

        /// <summary>Runs <paramref name="gone"/> if the client goes away before the wait ends.</summary>
        public void WatchClient(CancellationToken clientGone, Action gone) => _clientWatch = clientGone.Register(gone);

        /// <summary>Ends the wait's background work: polling the store, watching the client.</summary>
        public void StopWaiting()
        {
            _clientWatch.Unregister();
            Polling.Cancel();
        }
    }
}
