using System.Diagnostics;
using McpLambda.Runtime.Http;
using McpLambda.Runtime.Invocations;
using McpLambda.Runtime.Observability;
using ModelContextProtocol.Protocol;

namespace McpLambda.Runtime.JsonRpc;

/// <summary>
/// The one place JSON-RPC messages from clients are answered, whichever way they came in (Streamable HTTP,
/// Lambda Invoke, AgentCore Gateway): batches, invalid entries, and answers that must fit in a Lambda response.
/// </summary>
internal sealed class McpMessageDispatcher
{
    /// <summary>How many messages of one batch are handled at once; the rest wait their turn.</summary>
    internal const int MaxConcurrentBatchMessages = 8;

    private readonly IMcpMessageHandler _handler;
    private readonly ResponseSizeLimit _responseLimit;
    private readonly ResponseSizeLimit _streamedLimit;
    private readonly int _maxBatchLength;
    private readonly IMcpRequestObserver? _observer;

    /// <summary>Creates the dispatcher in front of <paramref name="handler"/> (the stdio server bridge).</summary>
    /// <param name="handler">What answers each message.</param>
    /// <param name="maxResponseBytes">The largest answer sent back; larger ones become a JSON-RPC error.</param>
    public McpMessageDispatcher(IMcpMessageHandler handler, int maxResponseBytes = AnswerLimits.DefaultMaxResponseBytes)
        : this(handler, maxResponseBytes, AnswerLimits.DefaultMaxBatchLength, AnswerLimits.DefaultMaxStreamedResponseBytes)
    {
    }

    internal McpMessageDispatcher(IMcpMessageHandler handler, int maxResponseBytes, int maxBatchLength, int maxStreamedResponseBytes, IMcpRequestObserver? observer = null)
    {
        _observer = observer;
        _handler = handler;
        _responseLimit = new ResponseSizeLimit(maxResponseBytes);
        _streamedLimit = new ResponseSizeLimit(maxStreamedResponseBytes);
        _maxBatchLength = maxBatchLength;
    }

    /// <summary>
    /// Answers one message: a request gets its response (a result or an error, never an exception); a
    /// notification or a response gets <see langword="null"/>.
    /// </summary>
    /// <param name="message">The client's message.</param>
    /// <param name="invocation">The invocation it came in.</param>
    public ValueTask<JsonRpcMessage?> DispatchAsync(JsonRpcMessage message, InvocationContext invocation)
        => DispatchAsync(message, null, invocation);

    /// <summary>Reads a request body by the rules every way in shares, including the batch length limit.</summary>
    internal JsonRpcBody Read(ReadOnlyMemory<byte> body, string protocolVersion) => JsonRpcBody.Read(body, protocolVersion, _maxBatchLength);

    /// <summary>
    /// Answers every message of <paramref name="body"/>, which must not be a rejection. A batch's messages are
    /// handled concurrently (the bridge multiplexes them over the server), at most
    /// <see cref="MaxConcurrentBatchMessages"/> at once so one request cannot start a crowd of servers, and answered in their order.
    /// </summary>
    /// <param name="body">The client's messages.</param>
    /// <param name="client">Where the server's messages that belong to these requests go (an SSE answer), or null for nowhere.</param>
    /// <param name="invocation">The invocation the body came in.</param>
    internal async ValueTask<JsonRpcAnswers> DispatchAsync(JsonRpcBody body, IClientMessageSink? client, InvocationContext invocation)
    {
        if (body.Entries is [var single])
        {
            // The common case, one message: answered in place, without the batch's scheduling.
            var answer = single.Message is { } only ? await DispatchAsync(only, client, invocation).ConfigureAwait(false) : single.Invalid;
            return new JsonRpcAnswers(body.IsBatch, answer is null ? [] : [answer]);
        }

        var answers = new JsonRpcMessage?[body.Entries.Count];
        var options = new ParallelOptions { MaxDegreeOfParallelism = MaxConcurrentBatchMessages };

        // Not cancelled through the options: past the deadline every message still gets its answer (a timeout error) from the handler.
        await Parallel.ForEachAsync(Enumerable.Range(0, answers.Length), options, async (i, _) =>
        {
            var entry = body.Entries[i];
            answers[i] = entry.Message is { } message ? await DispatchAsync(message, client, invocation).ConfigureAwait(false) : entry.Invalid;
        }).ConfigureAwait(false);

        return new JsonRpcAnswers(body.IsBatch, [.. answers.OfType<JsonRpcMessage>()]);
    }

    private ValueTask<JsonRpcMessage?> DispatchAsync(JsonRpcMessage message, IClientMessageSink? client, InvocationContext invocation)
        => _observer is { } observer && message is JsonRpcRequest request
            ? ObserveAsync(observer, request, client, invocation)
            : AnswerAsync(message, client, invocation);

    /// <summary>Answers a request and tells the observer (the metrics) what it took and how it ended.</summary>
    private async ValueTask<JsonRpcMessage?> ObserveAsync(IMcpRequestObserver observer, JsonRpcRequest request, IClientMessageSink? client, InvocationContext invocation)
    {
        var started = Stopwatch.GetTimestamp();
        var answer = await AnswerAsync(request, client, invocation).ConfigureAwait(false);
        observer.Answered(request, answer, Stopwatch.GetElapsedTime(started), invocation);
        return answer;
    }

    /// <summary>
    /// Answers a message. A modern request (one whose <c>_meta</c> names its protocol version) is admitted first, unless
    /// its way in did so already (the HTTP rules): one with bad per-request fields is refused here.
    /// </summary>
    private ValueTask<JsonRpcMessage?> AnswerAsync(JsonRpcMessage message, IClientMessageSink? client, InvocationContext invocation)
        => message is JsonRpcRequest request && (RuntimeReadParams.Reject(request) ?? (ModernRequest.Declares(request) ? ModernRequest.Admit(request) : null)) is { } invalid
            ? ValueTask.FromResult<JsonRpcMessage?>(invalid)
            : _handler.HandleAsync(message, client, invocation);

    /// <summary>The answers as the response's JSON, each replaced by an error if together they would not fit in the response.</summary>
    /// <param name="answers">Non-empty answers.</param>
    /// <param name="sizeOf">The bytes the JSON takes in the response that carries it.</param>
    /// <param name="streamed">Whether the response is streamed, which has its own, larger limit.</param>
    internal byte[] Serialize(JsonRpcAnswers answers, BodySize sizeOf, bool streamed = false)
    {
        var limit = streamed ? _streamedLimit : _responseLimit;
        return answers.IsBatch ? limit.Serialize(answers.Messages, sizeOf) : limit.Serialize(answers.Messages[0], sizeOf);
    }

    /// <summary>The largest buffered answer, in bytes.</summary>
    internal int MaxResponseBytes => _responseLimit.Bytes;

    /// <summary>The largest streamed answer, in bytes: the server's notifications on it count too.</summary>
    internal int MaxStreamedResponseBytes => _streamedLimit.Bytes;

    /// <summary>The notifications' JSON, as many as fit beside the serialized <paramref name="answer"/> in a Lambda response.</summary>
    /// <inheritdoc cref="ResponseSizeLimit.FitBeside"/>
    internal IReadOnlyList<byte[]> FitNotifications(IReadOnlyList<byte[]> notifications, byte[] answer, BodySize sizeOf, int droppedBefore)
        => _responseLimit.FitBeside(notifications, answer, sizeOf, droppedBefore);
}
