using System.Net;
using System.Net.Sockets;
using System.Text;
using McpLambda.Runtime.Http;

namespace McpLambda.Runtime.Local;

/// <summary>
/// A small HTTP/1.1 server on 127.0.0.1 (only), the base of local mode's front door and of the Runtime API
/// emulation. It speaks just what those need — keep-alive, <c>Content-Length</c> and chunked request bodies,
/// <c>Content-Length</c> responses — which makes a round trip several times cheaper than
/// <see cref="HttpListener"/>'s; that matters because every emulated invocation takes two of them.
/// </summary>
internal sealed class LoopbackHttpServer : IAsyncDisposable
{
    private readonly TcpListener _listener;
    private readonly Func<BufferedHttpRequest, Task<BufferedHttpResponse>> _handler;
    private readonly LoopbackHttpServerLimits _limits;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _serve;
    private int _disposed;
    private int _connections;

    private LoopbackHttpServer(TcpListener listener, Func<BufferedHttpRequest, Task<BufferedHttpResponse>> handler, LoopbackHttpServerLimits limits)
    {
        _listener = listener;
        _handler = handler;
        _limits = limits;
        Port = ((IPEndPoint)listener.LocalEndpoint).Port;
        _serve = Task.Run(ServeAsync);
    }

    /// <summary>The port served.</summary>
    public int Port { get; }

    /// <summary>Serves <paramref name="handler"/> on <paramref name="port"/>, or on a free port when it is 0, within <paramref name="limits"/> (the defaults when null).</summary>
    /// <exception cref="SocketException">The port is taken.</exception>
    public static LoopbackHttpServer Start(int port, Func<BufferedHttpRequest, Task<BufferedHttpResponse>> handler, LoopbackHttpServerLimits? limits = null)
    {
        var listener = new TcpListener(IPAddress.Loopback, port);
        listener.Start(512);
        return new LoopbackHttpServer(listener, handler, limits ?? new LoopbackHttpServerLimits());
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
            await WriteAsync(stream, Text(503, $"Too many connections: this server takes {_limits.MaxConnections} at once."), keepAlive: false).ConfigureAwait(false);
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
        var reader = new HttpRequestReader(stream, _limits.MaxBodyBytes, _limits.IdleTimeout);
        try
        {
            while (!_stop.IsCancellationRequested)
            {
                BufferedHttpRequest? request;
                try
                {
                    request = await reader.ReadAsync(_stop.Token).ConfigureAwait(false);
                }
                catch (HttpRequestFormatException ex)
                {
                    await WriteAsync(stream, Text(ex.Status, ex.Message), keepAlive: false).ConfigureAwait(false);
                    return;
                }

                if (request is null)
                {
                    return;
                }

                var keepAlive = !string.Equals(request.Headers["Connection"], "close", StringComparison.OrdinalIgnoreCase);
                BufferedHttpResponse response;
                try
                {
                    response = await _handler(request).ConfigureAwait(false);
                }
                catch (ConnectionAbortedByHandlerException)
                {
                    return;
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    response = Text(500, ex.Message);
                }

                await WriteAsync(stream, response, keepAlive).ConfigureAwait(false);
                if (!keepAlive)
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

    private static async Task WriteAsync(Stream stream, BufferedHttpResponse response, bool keepAlive)
    {
        if (!HasValidHeaders(response))
        {
            // Written as it is, a CR or LF in a value would end the header early and let the rest forge headers or a body.
            response = Text(500, "The handler's response has a header name or value that is not allowed (CR, LF or an empty name).");
        }

        var head = new StringBuilder(256);
        head.Append("HTTP/1.1 ").Append(response.StatusCode).Append(' ').Append(ReasonPhrase(response.StatusCode)).Append("\r\n");
        foreach (var (name, values) in response.Headers)
        {
            if (name.Equals("Content-Length", StringComparison.OrdinalIgnoreCase) || name.Equals("Connection", StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            foreach (var value in values)
            {
                head.Append(name).Append(": ").Append(value).Append("\r\n");
            }
        }

        head.Append("Content-Length: ").Append(response.Body.Length).Append("\r\n");
        head.Append(keepAlive ? "Connection: keep-alive\r\n\r\n" : "Connection: close\r\n\r\n");

        // One write for head and body: half the system calls, and no delayed-ACK stall between them.
        var headLength = Encoding.ASCII.GetByteCount(head.ToString());
        var buffer = new byte[headLength + response.Body.Length];
        Encoding.ASCII.GetBytes(head.ToString(), buffer);
        response.Body.Span.CopyTo(buffer.AsSpan(headLength));
        await stream.WriteAsync(buffer).ConfigureAwait(false);
    }

    private static bool HasValidHeaders(BufferedHttpResponse response)
    {
        foreach (var (name, values) in response.Headers)
        {
            if (name.Length == 0 || name.AsSpan().IndexOfAny(":\r\n \t") >= 0)
            {
                return false;
            }

            foreach (var value in values)
            {
                if (value.AsSpan().IndexOfAny('\r', '\n') >= 0)
                {
                    return false;
                }
            }
        }

        return true;
    }

    private static BufferedHttpResponse Text(int status, string message)
    {
        var headers = new HttpHeaderCollection();
        headers.Set("Content-Type", "text/plain; charset=utf-8");
        return new BufferedHttpResponse(status, headers, Encoding.UTF8.GetBytes(message));
    }

    private static string ReasonPhrase(int status) => status switch
    {
        200 => "OK",
        202 => "Accepted",
        204 => "No Content",
        400 => "Bad Request",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        406 => "Not Acceptable",
        408 => "Request Timeout",
        413 => "Payload Too Large",
        415 => "Unsupported Media Type",
        431 => "Request Header Fields Too Large",
        500 => "Internal Server Error",
        502 => "Bad Gateway",
        503 => "Service Unavailable",
        _ => "Status",
    };
}
