using ModelContextProtocol.Protocol;

namespace McpLambda.Runtime.JsonRpc;

/// <summary>
/// The notifications for one client message (or batch) whose answer goes back whole, in arrival order. A notification
/// that names no request reaches every request of a batch: it is kept once.
/// </summary>
internal sealed class NotificationCollector : IClientMessageSink
{
    private readonly List<JsonRpcNotification> _collected = [];
    private readonly HashSet<JsonRpcMessage> _seen = new(ReferenceEqualityComparer.Instance);

    /// <inheritdoc/>
    public bool IsLive => false;

    public IReadOnlyList<JsonRpcNotification> Collected
    {
        get
        {
            lock (_collected)
            {
                return [.. _collected];
            }
        }
    }

    /// <inheritdoc/>
    public void Send(JsonRpcMessage message)
    {
        lock (_collected)
        {
            if (message is JsonRpcNotification notification && _seen.Add(notification))
            {
                _collected.Add(notification);
            }
        }
    }
}
