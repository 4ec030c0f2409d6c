using System.Net;
using System.Net.Sockets;
using McpLambda.Runtime.Http;

namespace McpLambda.Runtime.Local;

/// <summary>
/// A small HTTP/1.1 server on 127.0.0.1 (only), the base of local mode's front door and of the Runtime API
/// emulation. It speaks just what those need — keep-alive, <c>Content-Length</c> and chunked request bodies (read whole,
/// or chunk by chunk as they arrive), responses sent whole or chunk by chunk — which makes a round trip several times cheaper than
/// <see cref="HttpListener"/>'s; that matters because every emulated invocation takes two of them.
/// </summary>
internal sealed class LoopbackHttpServer : IAsyncDisposable
{
    private readonly TcpListener _listener;
    private readonly Func<LoopbackExchange, Task> _handler;
    private readonly Func<HttpHeaderCollection, bool>? _streamsRequestBody;
    private readonly LoopbackHttpServerLimits _limits;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _serve;
    private int _disposed;
    private int _connections;

    private LoopbackHttpServer(TcpListener listener, Func<LoopbackExchange, Task> handler, Func<HttpHeaderCollection, bool>? streamsRequestBody, LoopbackHttpServerLimits limits)
    {
        _listener = listener;
        _handler = handler;
        _streamsRequestBody = streamsRequestBody;
        _limits = limits;
        Port = ((IPEndPoint)listener.LocalEndpoint).Port;
        _serve = Task.Run(ServeAsync);
    }

    /// <summary>The port served.</summary>
    public int Port { get; }

    /// <summary>Serves <paramref name="handler"/> on <paramref name="port"/>, or on a free port when it is 0, within <paramref name="limits"/> (the defaults when null).</summary>
    /// <exception cref="SocketException">The port is taken.</exception>
    public static LoopbackHttpServer Start(int port, Func<BufferedHttpRequest, Task<BufferedHttpResponse>> handler, LoopbackHttpServerLimits? limits = null)
        => Start(port, async exchange => await exchange.Response.SendAsync(await handler(exchange.Request).ConfigureAwait(false), CancellationToken.None).ConfigureAwait(false), null, limits);

    /// <summary>
    /// Serves <paramref name="handler"/>, which answers each exchange through its response writer (whole or chunk by
    /// chunk); chunked request bodies for which <paramref name="streamsRequestBody"/> holds are left for the handler to
    /// read as they arrive.
    /// </summary>
    /// <exception cref="SocketException">The port is taken.</exception>
    public static LoopbackHttpServer Start(int port, Func<LoopbackExchange, Task> handler, Func<HttpHeaderCollection, bool>? streamsRequestBody, LoopbackHttpServerLimits? limits = null)
    {
        var listener = new TcpListener(IPAddress.Loopback, port);
        listener.Start(512);
        return new LoopbackHttpServer(listener, handler, streamsRequestBody, limits ?? new LoopbackHttpServerLimits());
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        _stop.Cancel();
        _listener.Stop();
        await _serve.ConfigureAwait(false);
    }

    private async Task ServeAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            Socket socket;
            try
            {
                socket = await _listener.AcceptSocketAsync(_stop.Token).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is SocketException or ObjectDisposedException or OperationCanceledException or InvalidOperationException)
            {
                return;
            }

            _ = Interlocked.Increment(ref _connections) > _limits.MaxConnections ? RefuseAsync(socket) : ServeConnectionAsync(socket);
        }
    }

    private async Task RefuseAsync(Socket socket)
    {
        try
        {
            await using var stream = new NetworkStream(socket, ownsSocket: true);
            await new LoopbackResponseWriter(stream, keepAlive: false)
                .SendAsync(LoopbackResponseWriter.Text(503, $"Too many connections: this server takes {_limits.MaxConnections} at once."), CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or SocketException or ObjectDisposedException)
        {
            // The peer went away.
        }
        finally
        {
            Interlocked.Decrement(ref _connections);
        }
    }

    private async Task ServeConnectionAsync(Socket socket)
    {
        socket.NoDelay = true;
        using var stream = new NetworkStream(socket, ownsSocket: true);
        var reader = new HttpMessageReader(stream, _limits.MaxBodyBytes, _limits.IdleTimeout);
        try
        {
            while (!_stop.IsCancellationRequested)
            {
                BufferedHttpRequest? request;
                var streamed = false;
                try
                {
                    request = await reader.ReadRequestAsync(_stop.Token, headers => streamed = _streamsRequestBody?.Invoke(headers) == true).ConfigureAwait(false);
                }
                catch (HttpMessageFormatException ex)
                {
                    await new LoopbackResponseWriter(stream, keepAlive: false).SendAsync(LoopbackResponseWriter.Text(ex.Status, ex.Message), CancellationToken.None).ConfigureAwait(false);
                    return;
                }

                if (request is null)
                {
                    return;
                }

                var keepAlive = !string.Equals(request.Headers["Connection"], "close", StringComparison.OrdinalIgnoreCase);
                var exchange = new LoopbackExchange(request, reader, streamed, new LoopbackResponseWriter(stream, keepAlive));
                if (!await ServeExchangeAsync(exchange).ConfigureAwait(false) || !keepAlive)
                {
                    return;
                }
            }
        }
        catch (Exception ex) when (ex is IOException or SocketException or ObjectDisposedException or OperationCanceledException)
        {
            // The peer went away, or the server is stopping.
        }
        finally
        {
            Interlocked.Decrement(ref _connections);
        }
    }

    /// <summary>Runs the handler for one exchange and completes its response.</summary>
    /// <returns>Whether the connection can take another request.</returns>
    private async Task<bool> ServeExchangeAsync(LoopbackExchange exchange)
    {
        var response = exchange.Response;
        try
        {
            await _handler(exchange).ConfigureAwait(false);
        }
        catch (ConnectionAbortedByHandlerException)
        {
            return false;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            if (response.HasStarted)
            {
                // Mid-response: closing without the last chunk is how the peer learns the response is incomplete.
                return false;
            }

            await response.SendAsync(LoopbackResponseWriter.Text(500, ex.Message), CancellationToken.None).ConfigureAwait(false);
        }

        if (!response.HasStarted)
        {
            await response.SendAsync(LoopbackResponseWriter.Text(500, "The handler sent no response."), CancellationToken.None).ConfigureAwait(false);
        }
        else if (response.IsOpen)
        {
            await response.EndAsync(CancellationToken.None).ConfigureAwait(false);
        }

        // An unread request body would be taken for the next request.
        return exchange.IsBodyDone;
    }
}
