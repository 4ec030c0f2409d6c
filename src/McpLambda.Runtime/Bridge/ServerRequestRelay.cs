using System.Collections.Concurrent;
using System.Text.Json;
using McpLambda.Runtime.Hosting;
using McpLambda.Runtime.JsonRpc;
using McpLambda.Runtime.Relay;
using ModelContextProtocol.Protocol;

namespace McpLambda.Runtime.Bridge;

/// <summary>
/// The server's requests to a client (sampling, elicitation, roots, ping) on their way out on the client's event stream,
/// and the client's answers, which arrive as new POSTs, on their way back to the server that waits for them. Outgoing
/// requests get ids of their own, random for each request (a GUID's 122 random bits), so that answers on concurrent
/// streams never mix, a stray answer is recognised as one, and no caller can guess another caller's id to answer for it. With a store (<see cref="IServerRequestStore"/>), an
/// answer that reaches another execution environment is stored there and taken here, polled every
/// <see cref="PollInterval"/>.
/// </summary>
internal sealed class ServerRequestRelay(IServerRequestStore? store = null, TimeSpan? pollInterval = null) : IDisposable
{
    /// <summary>How long a request without a known deadline may wait (Lambda's longest invocation).</summary>
    private static readonly TimeSpan LongestCall = TimeSpan.FromMinutes(15);

    private const string IdPrefix = "mcp-lambda-";
    private readonly ConcurrentDictionary<string, Waiting> _waiting = new();

    /// <summary>How often a request waiting for an answer from another environment looks for it in the store.</summary>
    public TimeSpan PollInterval { get; } = pollInterval ?? TimeSpan.FromMilliseconds(100);

    /// <summary>
    /// Sends <paramref name="request"/>, made by <paramref name="server"/> during its request <paramref name="call"/>, to
    /// <paramref name="client"/>; with a store, records it there first (refusing the server at once if it cannot be).
    /// </summary>
    public async ValueTask ForwardAsync(StdioServerConnection server, JsonRpcRequest request, long call, IClientMessageSink client, DateTimeOffset? deadline)
    {
        var id = UnguessableId.New(IdPrefix);
        var waiting = new Waiting(server, request.Id, call, request.Method);
        if (store is not null)
        {
            var until = deadline ?? DateTimeOffset.UtcNow + LongestCall;
            try
            {
                using var bound = new CancellationTokenSource(TimeSpan.FromSeconds(5));
                await store.AddAsync(id, request.Method, until, bound.Token).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                Log.Error($"the server's '{request.Method}' request could not be recorded for relaying: {ex.Message}");
                await TellServerAsync(server, JsonRpcMessages.Error(request.Id, JsonRpcErrorCodes.InternalError,
                    $"'{request.Method}' cannot reach the client: the relay that carries its answer between execution environments failed ({ex.GetType().Name}: {ex.Message}).")).ConfigureAwait(false);
                return;
            }

            _ = PollAsync(id, waiting, until);
        }

        _waiting[id] = waiting;
        client.Send(new JsonRpcRequest { Id = new RequestId(id), Method = request.Method, Params = request.Params });
    }

    /// <summary>Passes a client's answer to the server waiting for it (here, or through the store in another environment).</summary>
    /// <returns>Null when it was taken; otherwise the error (without an id) that refuses it.</returns>
    public async ValueTask<JsonRpcError?> AnswerAsync(JsonRpcMessageWithId answer, CancellationToken cancellationToken)
    {
        if (answer.Id.Id is string id && _waiting.TryRemove(id, out var waiting))
        {
            waiting.StopPolling();
            if (store is not null)
            {
                _ = ForgetAsync(id);
            }

            return await DeliverAsync(waiting, answer).ConfigureAwait(false);
        }

        if (answer.Id.Id is string elsewhere && store is not null && elsewhere.StartsWith(IdPrefix, StringComparison.Ordinal))
        {
            RelayAnswerOutcome outcome;
            try
            {
                outcome = await store.AnswerAsync(elsewhere, System.Text.Encoding.UTF8.GetString(JsonRpcMessages.ToUtf8(answer)), cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                return JsonRpcMessages.Error(default, JsonRpcErrorCodes.InternalError, $"The answer to {answer.Id} could not be relayed: {ex.Message}");
            }

            if (outcome == RelayAnswerOutcome.Accepted)
            {
                Log.Info($"the answer to {elsewhere} was stored for the execution environment that asked");
                return null;
            }

            return JsonRpcMessages.Error(default, JsonRpcErrorCodes.InvalidRequest, outcome switch
            {
                RelayAnswerOutcome.Expired => $"The server request {answer.Id} is no longer waiting: its call has passed its deadline.",
                RelayAnswerOutcome.AlreadyAnswered => $"The server request {answer.Id} was answered already.",
                RelayAnswerOutcome.OtherFunction => $"The server request {answer.Id} was made by another function.",
                _ => NotWaiting(answer.Id),
            });
        }

        return JsonRpcMessages.Error(default, JsonRpcErrorCodes.InvalidRequest, NotWaiting(answer.Id));
    }

    /// <summary>
    /// The server's call <paramref name="call"/> has ended (answered, or past its deadline): whatever the server asked the
    /// client during it can no longer be answered, and the server is told so rather than left waiting.
    /// </summary>
    public async ValueTask AbandonAsync(StdioServerConnection server, long call)
    {
        foreach (var (id, waiting) in _waiting)
        {
            if (waiting.Server == server && waiting.Call == call && _waiting.TryRemove(id, out _))
            {
                waiting.StopPolling();
                if (store is not null)
                {
                    await ForgetAsync(id).ConfigureAwait(false);
                }

                await TellServerAsync(server, JsonRpcMessages.Error(waiting.ServerId, JsonRpcErrorCodes.RequestTimeout,
                    $"The client did not answer '{waiting.Method}' before the call that asked it ended.")).ConfigureAwait(false);
            }
        }
    }

    /// <inheritdoc/>
    public void Dispose() => (store as IDisposable)?.Dispose();

    private static string NotWaiting(RequestId id)
        => $"No server request with id {id} is waiting for an answer here: it was answered already, the call that made it has ended, or it was made in another execution environment.";

    /// <summary>Looks for an answer stored by another environment until one comes, the request is answered here, or its call ends.</summary>
    private async Task PollAsync(string id, Waiting waiting, DateTimeOffset until)
    {
        var token = waiting.Polling.Token;
        while (!token.IsCancellationRequested && DateTimeOffset.UtcNow < until)
        {
            try
            {
                await Task.Delay(PollInterval, token).ConfigureAwait(false);
                if (await store!.TakeAnswerAsync(id, token).ConfigureAwait(false) is { } json && _waiting.TryRemove(id, out _))
                {
                    using var document = JsonDocument.Parse(json);
                    if (JsonRpcMessages.TryRead(document.RootElement, out _) is JsonRpcMessageWithId answer)
                    {
                        await DeliverAsync(waiting, answer).ConfigureAwait(false);
                    }

                    return;
                }
            }
            catch (OperationCanceledException) when (token.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                // A store that fails now and then must not end the wait: the call's deadline does.
                Log.Warn($"looking for the answer to '{waiting.Method}' ({id}) failed: {ex.Message}");
            }
        }
    }

    private async ValueTask ForgetAsync(string id)
    {
        try
        {
            using var bound = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            await store!.RemoveAsync(id, bound.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // The item's TTL removes it.
            Log.Warn($"could not remove the relay record {id}: {ex.Message}");
        }
    }

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
        public CancellationTokenSource Polling { get; } = new();

        public void StopPolling() => Polling.Cancel();
    }
}
