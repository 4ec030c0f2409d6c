using System.Text.Json.Nodes;
using McpLambda.Runtime.JsonRpc;
using McpLambda.Runtime.Observability;
using McpLambda.Runtime.Protocol;
using ModelContextProtocol.Protocol;

namespace McpLambda.Runtime.Bridge;

/// <summary>A server's request to the client and, once given, the client's answer: one input of a multi round-trip request.</summary>
/// <param name="Key">Its key in <c>inputRequests</c> and <c>inputResponses</c>.</param>
/// <param name="Method">The server's method (<c>elicitation/create</c>, <c>sampling/createMessage</c>, <c>roots/list</c>).</param>
/// <param name="Params">The server's params.</param>
/// <param name="Response">The client's result; null while it is asked.</param>
internal sealed record InputExchange(string Key, string Method, JsonNode? Params, JsonNode? Response = null)
{
    /// <summary>Whether <paramref name="request"/> asks the same as this (method and params).</summary>
    public bool Matches(JsonRpcRequest request) => request.Method == Method && JsonNode.DeepEquals(request.Params, Params);
}

/// <summary>
/// One run of a modern client's request on a legacy server: the server's notifications go to the client when it wants
/// them (log messages only at or above the level its <c>_meta</c> asks for), and the server's requests to the client
/// are answered from the client's earlier answers when they ask the same, in order, or else become the call's
/// <c>inputRequests</c> (when the method may answer <c>InputRequiredResult</c> and the client declared the capability).
/// The run outlives the HTTP request that started it while it waits for the client's input.
/// </summary>
internal sealed class ModernCall : IClientMessageSink
{
    private readonly object _gate = new();
    private readonly ModernRequest _modern;
    private readonly bool _mayAsk;
    private readonly Queue<InputExchange> _known;
    private readonly List<InputExchange> _answered = [];
    private readonly List<(InputExchange Input, RequestId ServerId)> _pending = [];
    private readonly SortedSet<string> _undeclared = new(StringComparer.Ordinal);
    private TaskCompletionSource _asked = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private IClientMessageSink? _client;
    private StdioServerConnection? _server;

    /// <param name="modern">The request's per-request fields.</param>
    /// <param name="mayAsk">Whether the request's method may be answered with an <c>InputRequiredResult</c>.</param>
    /// <param name="known">The client's answers of earlier rounds, in the order the server asked.</param>
    public ModernCall(ModernRequest modern, bool mayAsk, IEnumerable<InputExchange> known)
    {
        _modern = modern;
        _mayAsk = mayAsk;
        _known = new Queue<InputExchange>(known);
    }

    /// <summary>Ends the run early (its client went past its deadline, or never came back).</summary>
    public CancellationTokenSource Lifetime { get; } = new();

    /// <inheritdoc/>
    public bool IsLive => false;

    /// <summary>Whether the run waits for the client's input: the server's requests from another call are then not this one's.</summary>
    public bool IsWaitingForInput
    {
        get
        {
            lock (_gate)
            {
                return _pending.Count > 0;
            }
        }
    }

    /// <summary>The inputs answered so far, in order.</summary>
    public IReadOnlyList<InputExchange> Answered
    {
        get
        {
            lock (_gate)
            {
                return [.. _answered];
            }
        }
    }

    /// <summary>The inputs the client is asked for now.</summary>
    public IReadOnlyList<InputExchange> Pending
    {
        get
        {
            lock (_gate)
            {
                return [.. _pending.Select(p => p.Input)];
            }
        }
    }

    /// <summary>Sends the server's messages to <paramref name="client"/> from now on (the HTTP request now waiting on the run), or nowhere.</summary>
    public void Attach(IClientMessageSink? client) => _client = client;

    /// <inheritdoc/>
    public void Send(JsonRpcMessage message)
    {
        if (message is JsonRpcNotification { Method: "notifications/message" } log
            && !_modern.WantsLog((log.Params as JsonObject)?["level"] is JsonValue level && level.TryGetValue<string>(out var name) ? name : null))
        {
            return;
        }

        _client?.Send(message);
    }

    /// <summary>
    /// Takes a request the server made of the client while this is its only call: answers it from the known answers, or
    /// asks the client. False when neither may be (the server is then refused, as for a legacy client that cannot be asked).
    /// </summary>
    public bool TryTake(StdioServerConnection server, JsonRpcRequest request)
    {
        InputExchange? known = null;
        lock (_gate)
        {
            _server = server;
            if (_known.TryPeek(out var next) && next.Matches(request))
            {
                known = _known.Dequeue();
                _answered.Add(known);
            }
            else if (_mayAsk && _modern.Allows(request.Method))
            {
                // A question of its own: the earlier answers no longer line up with what the server asks.
                _known.Clear();
                _pending.Add((new InputExchange($"input-{_answered.Count + _pending.Count + 1}", request.Method, request.Params?.DeepClone()), request.Id));
                _asked.TrySetResult();
                return true;
            }
            else
            {
                if (_mayAsk && ModernRequest.CapabilityFor(request.Method) is { } capability)
                {
                    _undeclared.Add(capability);
                }

                return false;
            }
        }

        Reply(server, new JsonRpcResponse { Id = request.Id, Result = known.Response?.DeepClone() });
        return true;
    }

    /// <summary>
    /// The capabilities the call failed for: the <c>requiredCapabilities</c> of a <c>MissingRequiredClientCapability</c>
    /// error (-32021) that answers the call in place of <paramref name="answer"/>, or null to send the server's answer.
    /// A legacy server cannot tell which capabilities a modern request declared, so it may ask for any; the questions
    /// the request did not declare are refused to the server. The call is then refused with -32021 only when all of
    /// these hold: the server asked for at least one undeclared capability, it asked for nothing the client can answer
    /// (nothing is pending, and no earlier answer of the client's was used), and its answer is a failure (a JSON-RPC
    /// error, or a result with <c>isError</c>). So a server that asks for an undeclared capability beside a declared
    /// one gets an <c>InputRequiredResult</c> with the declared one only, and a server that carries on without the
    /// refused input keeps its own result.
    /// </summary>
    public JsonObject? MissingCapabilities(JsonRpcMessage answer)
    {
        lock (_gate)
        {
            if (_undeclared.Count == 0 || _pending.Count > 0 || _answered.Count > 0 || !Failed(answer))
            {
                return null;
            }

            var required = new JsonObject();
            foreach (var capability in _undeclared)
            {
                required[capability] = new JsonObject();
            }

            return required;
        }
    }

    private static bool Failed(JsonRpcMessage answer)
        => answer is JsonRpcError || (answer is JsonRpcResponse { Result: JsonObject result } && result["isError"] is JsonValue flag && flag.TryGetValue<bool>(out var isError) && isError);

    /// <summary>
    /// Gives the server the client's answers to the inputs it waits for (those <paramref name="responses"/> holds); the
    /// others stay asked.
    /// </summary>
    public void Resume(JsonObject responses)
    {
        var replies = new List<(StdioServerConnection, JsonRpcMessage)>();
        lock (_gate)
        {
            foreach (var (input, serverId) in _pending.ToList())
            {
                if (responses[input.Key] is { } response)
                {
                    _pending.RemoveAll(p => p.Input.Key == input.Key);
                    _answered.Add(input with { Response = response.DeepClone() });
                    replies.Add((_server!, new JsonRpcResponse { Id = serverId, Result = response.DeepClone() }));
                }
            }

            if (_pending.Count == 0)
            {
                _asked = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            }
        }

        foreach (var (server, reply) in replies)
        {
            Reply(server, reply);
        }
    }

    /// <summary>Refuses every input the server still waits for: its call ends without them.</summary>
    public void Abandon(string why)
    {
        List<(InputExchange Input, RequestId ServerId)> pending;
        lock (_gate)
        {
            pending = [.. _pending];
            _pending.Clear();
        }

        foreach (var (input, serverId) in pending)
        {
            Reply(_server!, JsonRpcMessages.Error(serverId, JsonRpcErrorCodes.RequestTimeout, $"The client did not answer '{input.Method}': {why}."));
        }

        Lifetime.Cancel();
    }

    /// <summary>Waits until the server answers the call (its answer) or asks the client for input (null).</summary>
    public async Task<JsonRpcMessage?> NextAsync(Task<JsonRpcMessage> answer, CancellationToken cancellationToken)
    {
        Task asked;
        lock (_gate)
        {
            asked = _asked.Task;
        }

        await Task.WhenAny(answer, asked, Task.Delay(Timeout.Infinite, cancellationToken)).ConfigureAwait(false);

        // The server's messages are taken in the order it wrote them, so a question that is in was asked before the
        // answer: the call pauses there even when the answer came in too before this looked (a loaded machine).
        if (asked.IsCompleted)
        {
            return null;
        }

        if (answer.IsCompleted)
        {
            return await answer.ConfigureAwait(false);
        }

        // Past the invocation's deadline: the call ends, and the bridge tells the server as for any late request.
        await Lifetime.CancelAsync().ConfigureAwait(false);
        return await answer.ConfigureAwait(false);
    }

    private static void Reply(StdioServerConnection server, JsonRpcMessage reply)
        => _ = server.SendAsync(reply, CancellationToken.None).ContinueWith(
            failed => Log.Warn("could not answer the server's request: " + failed.Exception!.GetBaseException().Message),
            CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
}
