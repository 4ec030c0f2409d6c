using System.Net;
using System.Net.Sockets;

namespace McpLambda.EndToEnd.Tests;

/// <summary>Loopback ports for functions run in local mode by the tests.</summary>
internal static class LocalPort
{
    /// <summary>A port nothing listens on right now.</summary>
    public static int Free()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>Waits until the function listens on the port, or fails with how it ended.</summary>
    public static async Task WaitForAsync(int port, Task<int> function)
    {
        for (var i = 0; i < 300 && !function.IsCompleted; i++)
        {
            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync(IPAddress.Loopback, port);
                return;
            }
            catch (SocketException)
            {
                await Task.Delay(100);
            }
        }

        throw new InvalidOperationException("the function did not start serving: " + (function.IsCompleted ? $"it ended with {function.Result}" : "timed out"));
    }
}
