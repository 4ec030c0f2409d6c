using ModelContextProtocol.Protocol;

namespace McpLambda.Runtime.JsonRpc;

/// <summary>
/// The notifications for one client message (or batch) whose answer goes back whole, in arrival order, as JSON. A
/// notification that names no request reaches every request of a batch: it is kept once. Only as many are kept as could
/// fit in the response (<paramref name="budget"/> bytes, before the answer takes its share): a server that sends
/// notifications without end cannot run the function out of memory; the rest are counted in <see cref="Dropped"/>.
/// </summary>
/// <param name="budget">The response limit (<c>MCPLAMBDA_MAX_RESPONSE_BYTES</c>).</param>
internal sealed class NotificationCollector(long budget) : IClientMessageSink
{
    private readonly List<byte[]> _collected = [];
    private readonly HashSet<JsonRpcMessage> _seen = new(ReferenceEqualityComparer.Instance);
    private long _bytes;

    /// <inheritdoc/>
    public bool IsLive => false;

    /// <summary>The JSON of each notification kept, in arrival order.</summary>
    public IReadOnlyList<byte[]> Collected
    {
        get
        {
            lock (_collected)
            {
                return [.. _collected];
            }
        }
    }

    /// <summary>How many notifications were dropped because those kept already filled the response.</summary>
    public int Dropped { get; private set; }

    /// <inheritdoc/>
    public void Send(JsonRpcMessage message)
    {
        lock (_collected)
        {
            if (message is not JsonRpcNotification notification || !_seen.Add(notification))
            {
                return;
            }

            var json = JsonRpcMessages.ToUtf8(notification);
            if (_bytes + json.Length + ResponseSizeLimit.EventFramingBytes > budget)
            {
                Dropped++;
                return;
            }

            _bytes += json.Length + ResponseSizeLimit.EventFramingBytes;
            _collected.Add(json);
        }
    }
}
