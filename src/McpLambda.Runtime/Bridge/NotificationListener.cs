using System.Text.Json.Nodes;
using McpLambda.Runtime.JsonRpc;
using ModelContextProtocol.Protocol;

namespace McpLambda.Runtime.Bridge;

/// <summary>
/// One in-flight request's interest in the server's notifications and requests. Clients choose progress tokens freely, so two
/// concurrent callers may pick the same one: the request goes to the server with the connection's own id as its token,
/// and progress carrying that id goes back to the client under the token the client chose. A request whose caller
/// takes no notifications still gets its token replaced, so that its progress can never reach another caller.
/// </summary>
internal sealed class NotificationListener
{
    private readonly JsonNode? _clientToken;
    private readonly IClientMessageSink? _sink;

    private NotificationListener(JsonNode? clientToken, IClientMessageSink? sink, DateTimeOffset? deadline)
    {
        _clientToken = clientToken;
        _sink = sink;
        Deadline = deadline;
    }

    /// <summary>The deadline of the invocation the request belongs to, when it has one.</summary>
    public DateTimeOffset? Deadline { get; }

    /// <summary>A modern client's run of the request, which takes the server's requests as its inputs; else null.</summary>
    public ModernCall? ModernCall => _sink as ModernCall;

    /// <summary>Where the request's caller takes the server's requests, when its answer reaches it live; else null.</summary>
    public IClientMessageSink? LiveClient => _sink is { IsLive: true } live ? live : null;

    /// <summary>
    /// Whether this request and <paramref name="other"/> come from one caller: the same client message sink (one POST,
    /// a batch included). A request whose caller takes nothing (no sink) is a caller of its own.
    /// </summary>
    public bool SameCaller(NotificationListener other) => ReferenceEquals(this, other) || (_sink is not null && ReferenceEquals(_sink, other._sink));

    /// <summary>
    /// The listener for a caller's request <paramref name="id"/>, and the parameters to send, with the progress token
    /// replaced. Every caller's request has one, whether or not its caller takes messages, so that the connection knows
    /// how many callers are in flight.
    /// </summary>
    public static (JsonNode? Parameters, NotificationListener Listener) Create(long id, JsonNode? parameters, IClientMessageSink? sink, DateTimeOffset? deadline)
    {
        if (parameters is not JsonObject { } original || original["_meta"] is not JsonObject { } meta || !meta.ContainsKey("progressToken"))
        {
            return (parameters, new NotificationListener(null, sink, deadline));
        }

        var clientToken = meta["progressToken"]?.DeepClone();
        var rewritten = original.DeepClone().AsObject();
        rewritten["_meta"]!["progressToken"] = id;
        return (rewritten, new NotificationListener(clientToken, sink, deadline));
    }

    /// <summary>The id of the request a progress notification belongs to, or null for any other notification.</summary>
    public static long? ProgressRequestId(JsonRpcNotification notification)
        => notification.Method == NotificationMethods.ProgressNotification
            && notification.Params?["progressToken"] is JsonValue token && token.TryGetValue<long>(out var id)
            ? id
            : null;

    /// <summary>Passes on progress for this request, under the client's own token; false when its caller takes none.</summary>
    public bool Progress(JsonRpcNotification notification)
    {
        if (_sink is null || _clientToken is null)
        {
            return false;
        }

        var parameters = notification.Params!.DeepClone().AsObject();
        parameters["progressToken"] = _clientToken.DeepClone();
        _sink.Send(new JsonRpcNotification { Method = notification.Method, Params = parameters });
        return true;
    }

    /// <summary>Passes on a log message, which names no request; false when this request's caller takes none.</summary>
    public bool Other(JsonRpcNotification notification)
    {
        _sink?.Send(notification);
        return _sink is not null;
    }
}
