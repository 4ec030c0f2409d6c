using System.Net;
using System.Net.Sockets;

namespace McpLambda.Runtime.Local;

/// <summary>An <see cref="HttpListener"/> bound to 127.0.0.1, on a given port or on a free one.</summary>
internal static class LoopbackListener
{
    public static HttpListener Start(int port)
    {
        // HttpListener cannot bind port 0; ask the OS for a free port first. Retry in the rare case it is taken in between.
        for (var attempt = 0; ; attempt++)
        {
            var chosen = port > 0 ? port : FreePort();
            var listener = new HttpListener { IgnoreWriteExceptions = true };
            listener.Prefixes.Add($"http://127.0.0.1:{chosen}/");
            try
            {
                listener.Start();
                return listener;
            }
            catch (HttpListenerException) when (port == 0 && attempt < 5)
            {
                listener.Close();
            }
        }
    }

    public static int Port(HttpListener listener) => new Uri(listener.Prefixes.First()).Port;

    private static int FreePort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }
}
