using System.Net;
using System.Net.Sockets;

namespace McpLambda.Client.Tests;

/// <summary>
/// An HTTP server on 127.0.0.1 and a free port that hands each request to a handler. It is the platform's
/// <see cref="HttpListener"/> on purpose, not the runtime's own loopback server: the client's HTTP is checked against an
/// implementation written by others, so a misreading of HTTP shared by our client and our server cannot pass unseen.
/// </summary>
public sealed class LoopbackServer : IAsyncDisposable
{
    private readonly HttpListener _listener;
    private readonly Func<HttpListenerContext, Task> _handle;
    private readonly Task _serve;

    private LoopbackServer(HttpListener listener, int port, Func<HttpListenerContext, Task> handle)
    {
        _listener = listener;
        _handle = handle;
        Url = new Uri($"http://127.0.0.1:{port}/");
        _serve = Task.Run(ServeAsync);
    }

    public Uri Url { get; }

    public static LoopbackServer Start(Func<HttpListenerContext, Task> handle)
    {
        for (var attempt = 0; ; attempt++)
        {
            int port;
            using (var probe = new TcpListener(IPAddress.Loopback, 0))
            {
                probe.Start();
                port = ((IPEndPoint)probe.LocalEndpoint).Port;
            }

            var listener = new HttpListener { IgnoreWriteExceptions = true };
            listener.Prefixes.Add($"http://127.0.0.1:{port}/");
            try
            {
                listener.Start();
                return new LoopbackServer(listener, port, handle);
            }
            catch (HttpListenerException) when (attempt < 5)
            {
                listener.Close();
            }
        }
    }

    public static async Task<byte[]> ReadBodyAsync(HttpListenerRequest request)
    {
        using var buffer = new MemoryStream();
        await request.InputStream.CopyToAsync(buffer);
        return buffer.ToArray();
    }

    public static void Respond(HttpListenerResponse response, int status, string? json, IDictionary<string, string>? headers = null)
    {
        response.StatusCode = status;
        foreach (var (name, value) in headers ?? new Dictionary<string, string>())
        {
            response.Headers[name] = value;
        }

        var bytes = json is null ? [] : System.Text.Encoding.UTF8.GetBytes(json);
        if (json is not null)
        {
            response.ContentType = "application/json";
        }

        response.ContentLength64 = bytes.Length;
        response.OutputStream.Write(bytes);
        response.Close();
    }

    public async ValueTask DisposeAsync()
    {
        _listener.Close();
        await _serve;
    }

    private async Task ServeAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }

            _ = Task.Run(async () =>
            {
                try
                {
                    await _handle(context);
                }
                catch (Exception ex) when (ex is HttpListenerException or IOException or ObjectDisposedException)
                {
                    // The client went away.
                }
                catch (Exception ex)
                {
                    try
                    {
                        Respond(context.Response, 500, new System.Text.Json.Nodes.JsonObject { ["message"] = ex.ToString() }.ToJsonString());
                    }
                    catch (Exception ex2) when (ex2 is HttpListenerException or IOException or ObjectDisposedException or InvalidOperationException)
                    {
                        // Nothing more to do for this request.
                    }
                }
            });
        }
    }
}
