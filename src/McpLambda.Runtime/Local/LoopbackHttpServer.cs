using System.Net;
using System.Net.Sockets;

namespace McpLambda.Runtime.Local;

/// <summary>
/// An HTTP server on 127.0.0.1 (only) that hands each request to a handler on the thread pool; the base of
/// local mode's front door and of the Runtime API emulation.
/// </summary>
internal sealed class LoopbackHttpServer : IAsyncDisposable
{
    private readonly HttpListener _listener;
    private readonly Func<HttpListenerContext, Task> _handler;
    private readonly Task _serve;

    private LoopbackHttpServer(HttpListener listener, int port, Func<HttpListenerContext, Task> handler)
    {
        _listener = listener;
        _handler = handler;
        Port = port;
        _serve = Task.Run(ServeAsync);
    }

    /// <summary>The port served.</summary>
    public int Port { get; }

    /// <summary>Serves <paramref name="handler"/> on <paramref name="port"/>, or on a free port when it is 0.</summary>
    public static LoopbackHttpServer Start(int port, Func<HttpListenerContext, Task> handler)
    {
        // HttpListener cannot bind port 0; ask the OS for a free port first, and retry in the rare case it is taken in between.
        for (var attempt = 0; ; attempt++)
        {
            var chosen = port > 0 ? port : FreePort();
            var listener = new HttpListener { IgnoreWriteExceptions = true };
            listener.Prefixes.Add($"http://127.0.0.1:{chosen}/");
            try
            {
                listener.Start();
                return new LoopbackHttpServer(listener, chosen, handler);
            }
            catch (HttpListenerException) when (port == 0 && attempt < 5)
            {
                listener.Close();
            }
        }
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        _listener.Close();
        await _serve.ConfigureAwait(false);
    }

    private async Task ServeAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync().ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }

            _ = Task.Run(() => _handler(context));
        }
    }

    private static int FreePort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }
}
