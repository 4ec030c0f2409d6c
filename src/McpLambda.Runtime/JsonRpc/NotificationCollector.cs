using ModelContextProtocol.Protocol;

namespace McpLambda.Runtime.JsonRpc;

/// <summary>
/// The notifications for one client message (or batch), in arrival order. A notification that names no request reaches
/// every request of a batch: it is kept once.
/// </summary>
internal sealed class NotificationCollector
{
    private readonly List<JsonRpcNotification> _collected = [];
    private readonly HashSet<JsonRpcNotification> _seen = new(ReferenceEqualityComparer.Instance);

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

    public void Add(JsonRpcNotification notification)
    {
        lock (_collected)
        {
            if (_seen.Add(notification))
            {
                _collected.Add(notification);
            }
        }
    }
}
