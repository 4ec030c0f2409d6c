using System.Collections.Concurrent;
using McpLambda.Runtime.JsonRpc;
using ModelContextProtocol.Protocol;

namespace McpLambda.Runtime.Tests.Support;

/// <summary>A client stand-in that records the server's messages for one call, live or not.</summary>
internal sealed class RecordingClientSink(bool isLive = false) : IClientMessageSink
{
    private readonly ConcurrentQueue<JsonRpcMessage> _messages = new();

    public bool IsLive => isLive;

    public IReadOnlyList<JsonRpcMessage> Messages => [.. _messages];

    public IReadOnlyList<JsonRpcNotification> Notifications => [.. _messages.OfType<JsonRpcNotification>()];

    /// <summary>Called with each message as it arrives (e.g. to answer a server's request).</summary>
    public Action<JsonRpcMessage>? OnMessage { get; init; }

    public void Send(JsonRpcMessage message)
    {
        _messages.Enqueue(message);
        OnMessage?.Invoke(message);
    }
}
