using System.Collections.Concurrent;
using System.Security.Cryptography;
using McpLambda.Runtime.JsonRpc;
using ModelContextProtocol.Protocol;

namespace McpLambda.Runtime.Bridge;

/// <summary>
/// The server's requests to a client (sampling, elicitation, roots, ping) on their way out on the client's event stream,
/// and the client's answers, which arrive as new POSTs, on their way back to the server that waits for them. Outgoing
/// requests get ids of their own, unique in this process and unlike any other process's, so that answers on concurrent
/// streams never mix and a stray answer is recognised as one.
/// </summary>
internal sealed class ServerRequestRelay
{
    private readonly string _prefix = "mcp-lambda-" + RandomNumberGenerator.GetHexString(16, lowercase: true) + "-";
    private readonly ConcurrentDictionary<string, Waiting> _waiting = new();
    private long _next;

    /// <summary>How many server requests wait for a client's answer.</summary>
    public int WaitingCount => _waiting.Count;

    /// <summary>Sends <paramref name="request"/>, made by <paramref name="server"/> during its request <paramref name="call"/>, to <paramref name="client"/>.</summary>
    public void Forward(StdioServerConnection server, JsonRpcRequest request, long call, IClientMessageSink client)
    {
        var id = _prefix + Interlocked.Increment(ref _next).ToString(System.Globalization.CultureInfo.InvariantCulture);
        _waiting[id] = new Waiting(server, request.Id, call, request.Method);
        client.Send(new JsonRpcRequest { Id = new RequestId(id), Method = request.Method, Params = request.Params });
    }

    /// <summary>Passes a client's answer to the server waiting for it, under the server's own id.</summary>
    /// <returns>Null when it was passed on; otherwise the error (without an id) that refuses it.</returns>
    public async ValueTask<JsonRpcError?> AnswerAsync(JsonRpcMessageWithId answer, CancellationToken cancellationToken)
    {
        if (answer.Id.Id is not string id || !_waiting.TryRemove(id, out var waiting))
        {
            return JsonRpcMessages.Error(default, JsonRpcErrorCodes.InvalidRequest,
                $"No server request with id {answer.Id} is waiting for an answer here: it was answered already, the call that made it has ended, or it was made in another execution environment.");
        }

        JsonRpcMessage forServer = answer is JsonRpcError error
            ? new JsonRpcError { Id = waiting.ServerId, Error = error.Error }
            : new JsonRpcResponse { Id = waiting.ServerId, Result = (answer as JsonRpcResponse)?.Result };
        try
        {
            await waiting.Server.SendAsync(forServer, cancellationToken).ConfigureAwait(false);
            return null;
        }
        catch (Exception ex) when (ex is IOException or InvalidOperationException or ObjectDisposedException)
        {
            return JsonRpcMessages.Error(default, JsonRpcErrorCodes.ConnectionClosed,
                $"The MCP server that asked '{waiting.Method}' is gone; the answer could not be passed on: {ex.Message}");
        }
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
                var error = JsonRpcMessages.Error(waiting.ServerId, JsonRpcErrorCodes.RequestTimeout,
                    $"The client did not answer '{waiting.Method}' before the call that asked it ended.");
                try
                {
                    await server.SendAsync(error, CancellationToken.None).ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is IOException or InvalidOperationException or ObjectDisposedException)
                {
                    // The server is gone: nobody waits any more.
                }
            }
        }
    }

    private sealed record Waiting(StdioServerConnection Server, RequestId ServerId, long Call, string Method);
}
