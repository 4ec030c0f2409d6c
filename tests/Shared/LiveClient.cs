using System.Collections.Concurrent;
using McpLambda.Runtime.JsonRpc;
using ModelContextProtocol.Protocol;

namespace McpLambda.Tests;

/// <summary>
/// A client on a streamed answer: it sees the server's requests as they come and answers each with <c>answer</c>, as a
/// separate POST made while the call is still open.
/// </summary>
internal sealed class LiveClient(Func<JsonRpcRequest, Task<JsonRpcMessage?>> answer) : IClientMessageSink
{
    private readonly ConcurrentQueue<JsonRpcRequest> _requests = new();
    private readonly ConcurrentQueue<JsonRpcMessage?> _answers = new();

    public bool IsLive => true;

    public IReadOnlyList<JsonRpcRequest> Requests => [.. _requests];

    /// <summary>What the function said to each answer: null when it took it.</summary>
    public IReadOnlyList<JsonRpcMessage?> Answers => [.. _answers];

    /// <summary>A client that never answers.</summary>
    public static LiveClient Silent() => new(_ => Task.FromResult<JsonRpcMessage?>(null));

    public void Send(JsonRpcMessage message)
    {
        if (message is JsonRpcRequest request)
        {
            _requests.Enqueue(request);
            _ = Task.Run(async () => _answers.Enqueue(await answer(request)));
        }
    }
}
