using System.Text.Json.Nodes;
using McpLambda.Runtime.Observability;
using ModelContextProtocol.Protocol;

namespace McpLambda.Runtime.Bridge;

/// <summary>
/// What to do with the shared server when one request misses its deadline. A server that still answers <c>ping</c>
/// promptly is not stuck, only slow at that request: the request alone is cancelled (<c>notifications/cancelled</c>
/// with the id the server knows it by) and the others in flight keep their server. A server that fails the ping, or
/// has nothing else in flight to lose, is retired and started again.
/// </summary>
internal static class MissedDeadline
{
    /// <summary>How long a healthy server may take to answer <c>ping</c>; short, as the invocation is already late.</summary>
    internal static readonly TimeSpan PingBound = TimeSpan.FromMilliseconds(250);

    /// <summary>Whether <paramref name="connection"/> should be retired after a request on it missed its deadline.</summary>
    public static async Task<bool> IsStuckAsync(StdioServerConnection connection)
    {
        if (connection.InFlight == 0)
        {
            return true;
        }

        using var bound = new CancellationTokenSource(PingBound);
        try
        {
            return await connection.RequestAsync(RequestMethods.Ping, null, bound.Token).ConfigureAwait(false) is not JsonRpcResponse;
        }
        catch (Exception ex) when (ex is OperationCanceledException or StdioServerClosedException)
        {
            return true;
        }
    }

    /// <summary>Tells the server to stop working on the request it knows as <paramref name="serverRequestId"/>, and why.</summary>
    public static async Task CancelAsync(StdioServerConnection connection, long serverRequestId, string method, string why)
    {
        var parameters = new JsonObject { ["requestId"] = serverRequestId, ["reason"] = $"'{method}': {why}" };
        try
        {
            using var bound = new CancellationTokenSource(PingBound);
            await connection.NotifyAsync(NotificationMethods.CancelledNotification, parameters, bound.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or InvalidOperationException or ObjectDisposedException or OperationCanceledException)
        {
            Log.Warn($"could not cancel '{method}' on the server: {ex.Message}");
        }
    }
}
