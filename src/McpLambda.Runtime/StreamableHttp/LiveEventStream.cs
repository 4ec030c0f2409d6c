using System.Threading.Channels;
using McpLambda.Runtime.Http;
using McpLambda.Runtime.JsonRpc;
using ModelContextProtocol.Protocol;
using McpLambda.Runtime.Observability;

namespace McpLambda.Runtime.StreamableHttp;

/// <summary>
/// An SSE answer written while the request runs: it opens (200, <c>text/event-stream</c>) at the server's first message
/// for the request, or at the first keep-alive, carries one <c>message</c> event per server notification or request as
/// it arrives, and ends with the answer's event. A quick answer with nothing before it can still go out as plain JSON
/// (<see cref="TryClaimForJson"/>). Keep-alive comments on a long quiet call stop idle timeouts of the fronts (function
/// URL, API Gateway, proxies) from cutting it.
/// </summary>
internal sealed class LiveEventStream : IClientMessageSink, IAsyncDisposable
{
    private static readonly byte[] KeepAliveComment = ": keep-alive\n\n"u8.ToArray();
    private readonly IHttpResponseWriter _response;
    private readonly HttpHeaderCollection _headers;
    private readonly TimeSpan _keepAlive;
    private readonly Channel<byte[]> _events = Channel.CreateUnbounded<byte[]>(new UnboundedChannelOptions { SingleReader = true });
    private readonly HashSet<JsonRpcMessage> _seen = new(ReferenceEqualityComparer.Instance);
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _pump;
    private bool _opened;
    private bool _claimedForJson;
    private bool _headersSent;
    private bool _clientGone;

    public LiveEventStream(IHttpResponseWriter response, HttpHeaderCollection headers, TimeSpan keepAlive)
    {
        _response = response;
        _headers = headers;
        _keepAlive = keepAlive;
        _pump = Task.Run(PumpAsync);
    }

    /// <inheritdoc/>
    public bool IsLive => true;

    /// <inheritdoc/>
    public void Send(JsonRpcMessage message)
    {
        lock (_seen)
        {
            // A log message reaches every request of a batch: it goes out once.
            if (_claimedForJson || !_seen.Add(message))
            {
                return;
            }

            _opened = true;
            _events.Writer.TryWrite(Event(JsonRpcMessages.ToUtf8(message)));
        }
    }

    /// <summary>True when nothing was sent yet, and from now on nothing will be: the answer may go out as plain JSON instead.</summary>
    public bool TryClaimForJson()
    {
        lock (_seen)
        {
            _claimedForJson = !_opened;
            return _claimedForJson;
        }
    }

    /// <summary>Sends the answer's event and ends the stream.</summary>
    public async Task CompleteAsync(byte[] answer)
    {
        lock (_seen)
        {
            _opened = true;
            _events.Writer.TryWrite(Event(answer));
            _events.Writer.TryComplete();
        }

        await _pump.ConfigureAwait(false);
    }

    /// <summary>Stops the stream (keep-alives included) without writing more.</summary>
    public async ValueTask DisposeAsync()
    {
        _events.Writer.TryComplete();
        await _stop.CancelAsync().ConfigureAwait(false);
        await _pump.ConfigureAwait(false);
        _stop.Dispose();
    }

    private static byte[] Event(byte[] json)
    {
        var framed = new byte[json.Length + 23];
        "event: message\ndata: "u8.CopyTo(framed);
        json.CopyTo(framed, 21);
        "\n\n"u8.CopyTo(framed.AsSpan(21 + json.Length));
        return framed;
    }

    private async Task PumpAsync()
    {
        var reader = _events.Reader;
        while (!_stop.IsCancellationRequested)
        {
            bool more;
            using (var idle = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token))
            {
                idle.CancelAfter(_keepAlive);
                try
                {
                    more = await reader.WaitToReadAsync(idle.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (!_stop.IsCancellationRequested)
                {
                    if (TryOpenForKeepAlive())
                    {
                        await WriteAsync(KeepAliveComment).ConfigureAwait(false);
                    }

                    continue;
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }

            if (!more)
            {
                return;
            }

            while (reader.TryRead(out var framed))
            {
                await WriteAsync(framed).ConfigureAwait(false);
            }
        }
    }

    private bool TryOpenForKeepAlive()
    {
        lock (_seen)
        {
            _opened |= !_claimedForJson;
            return _opened;
        }
    }

    private async Task WriteAsync(byte[] bytes)
    {
        if (_clientGone)
        {
            return;
        }

        try
        {
            if (!_headersSent)
            {
                _headersSent = true;
                await _response.StartAsync(200, _headers, CancellationToken.None).ConfigureAwait(false);
            }

            await _response.WriteAsync(bytes, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or System.Net.Sockets.SocketException or ObjectDisposedException or InvalidOperationException)
        {
            // The request still runs to its end (the server is mid-call); its events have nowhere to go.
            _clientGone = true;
            Log.Warn("the client's event stream closed before the answer: " + ex.Message);
        }
    }
}
