using McpLambda.Runtime.Http;
using McpLambda.Runtime.JsonRpc;
using McpLambda.Runtime.Observability;
using ModelContextProtocol.Protocol;

namespace McpLambda.Runtime.StreamableHttp;

/// <summary>
/// An SSE answer written while the request runs: it opens (200, <c>text/event-stream</c>) at the server's first message
/// for the request, or at the first keep-alive, carries one <c>message</c> event per server notification or request as
/// it arrives, and ends with the answer's event. A quick answer with nothing before it can still go out as plain JSON
/// (<see cref="TryClaimForJson"/>). Keep-alive comments on a long quiet call stop idle timeouts of the fronts (function
/// URL, API Gateway, proxies) from cutting it. Its memory is bounded (<see cref="PendingEvents"/>), and so is what it
/// sends: past the streamed response limit, the server's notifications are no longer passed on, while its requests and
/// the answer still go.
/// </summary>
internal sealed class LiveEventStream : IClientMessageSink, IAsyncDisposable
{
    private static readonly byte[] KeepAliveComment = ": keep-alive\n\n"u8.ToArray();
    private readonly IHttpResponseWriter _response;
    private readonly HttpHeaderCollection _headers;
    private readonly TimeSpan _keepAlive;
    private readonly long _maxStreamedBytes;
    private readonly PendingEvents _events = new();
    private readonly HashSet<JsonRpcMessage> _seen = new(ReferenceEqualityComparer.Instance);
    private readonly CancellationTokenSource _stop = new();
    private readonly CancellationTokenSource _clientGone = new();
    private readonly Task _pump;
    private bool _opened;
    private bool _claimedForJson;
    private bool _headersSent;

    /// <summary>The bytes written to the stream so far, which with those queued count against the streamed response limit.</summary>
    private long _streamedBytes;
    private int _overLimit;

    /// <param name="response">Where the stream goes.</param>
    /// <param name="headers">The stream's headers.</param>
    /// <param name="keepAlive">How long the stream may stay quiet before a keep-alive comment.</param>
    /// <param name="maxStreamedBytes">The streamed response limit (<c>MCPLAMBDA_MAX_STREAMED_RESPONSE_BYTES</c>), which the server's notifications count against.</param>
    public LiveEventStream(IHttpResponseWriter response, HttpHeaderCollection headers, TimeSpan keepAlive, long maxStreamedBytes)
    {
        _response = response;
        _headers = headers;
        _keepAlive = keepAlive;
        _maxStreamedBytes = maxStreamedBytes;
        _pump = Task.Run(PumpAsync);
    }

    /// <inheritdoc/>
    public bool IsLive => true;

    /// <inheritdoc/>
    public CancellationToken ClientGone => _clientGone.Token;

    /// <inheritdoc/>
    public void Send(JsonRpcMessage message)
    {
        lock (_seen)
        {
            // A log message reaches every request of a batch: it goes out once.
            if (_claimedForJson || _clientGone.IsCancellationRequested || !_seen.Add(message))
            {
                return;
            }

            _opened = true;
            var framed = Event(JsonRpcMessages.ToUtf8(message));
            if (message is JsonRpcNotification notification)
            {
                Pass(framed, notification.Method == NotificationMethods.ProgressNotification);
                return;
            }

            _events.Add(framed);
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
            _events.Add(Event(answer));
            _events.Complete();
        }

        await _pump.ConfigureAwait(false);
    }

    /// <summary>Stops the stream (keep-alives included) without writing more.</summary>
    public async ValueTask DisposeAsync()
    {
        _events.Complete();
        await _stop.CancelAsync().ConfigureAwait(false);
        await _pump.ConfigureAwait(false);
        _stop.Dispose();
        _clientGone.Dispose();
        if (_events.Dropped > 0)
        {
            Log.Warn($"{_events.Dropped} of the server's notifications were dropped: the client read the event stream slower than the server sent them (more than {PendingEvents.MaxQueuedBytes} bytes waited); the latest progress was kept");
        }
    }

    /// <summary>Passes a notification on while the stream is within the streamed response limit; past it, none goes any more.</summary>
    private void Pass(byte[] framed, bool progress)
    {
        if (_overLimit > 0 || Interlocked.Read(ref _streamedBytes) + _events.QueuedBytes + framed.Length > _maxStreamedBytes)
        {
            if (_overLimit++ == 0)
            {
                Log.Warn($"the server's notifications are no longer passed on for this call: with them the event stream would exceed the streamed response limit of {_maxStreamedBytes} bytes; the answer still goes");
            }

            return;
        }

        _events.Offer(framed, progress);
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
        while (!_stop.IsCancellationRequested)
        {
            bool more;
            using (var idle = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token))
            {
                idle.CancelAfter(_keepAlive);
                try
                {
                    more = await _events.WaitToTakeAsync(idle.Token).ConfigureAwait(false);
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

            while (_events.TryTake(out var framed))
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
        if (_clientGone.IsCancellationRequested)
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
            Interlocked.Add(ref _streamedBytes, bytes.Length);
        }
        catch (Exception ex) when (ex is IOException or System.Net.Sockets.SocketException or ObjectDisposedException or InvalidOperationException)
        {
            // The request still runs to its end (the server is mid-call); its events have nowhere to go.
            Log.Warn("the client's event stream closed before the answer: " + ex.Message);
            await _clientGone.CancelAsync().ConfigureAwait(false);
        }
    }
}
