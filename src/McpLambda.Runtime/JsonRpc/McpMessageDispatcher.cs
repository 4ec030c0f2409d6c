using McpLambda.Runtime.Configuration;
using ModelContextProtocol.Protocol;

namespace McpLambda.Runtime.JsonRpc;

/// <summary>
/// The one place JSON-RPC messages from clients are answered, whichever way they came in (Streamable HTTP,
/// Lambda Invoke, AgentCore Gateway): batches, invalid entries, and answers that must fit in a Lambda response.
/// </summary>
public sealed class McpMessageDispatcher
{
    private readonly IMcpMessageHandler _handler;
    private readonly ResponseSizeLimit _responseLimit;

    /// <summary>Creates the dispatcher in front of <paramref name="handler"/> (the stdio server bridge).</summary>
    /// <param name="handler">What answers each message.</param>
    /// <param name="maxResponseBytes">The largest answer sent back; larger ones become a JSON-RPC error.</param>
    public McpMessageDispatcher(IMcpMessageHandler handler, int maxResponseBytes = McpLambdaSettings.DefaultMaxResponseBytes)
    {
        _handler = handler;
        _responseLimit = new ResponseSizeLimit(maxResponseBytes);
    }

    /// <summary>
    /// Answers one message: a request gets its response (a result or an error, never an exception); a
    /// notification or a response gets <see langword="null"/>.
    /// </summary>
    /// <param name="message">The client's message.</param>
    /// <param name="cancellationToken">Cancelled at the invocation's deadline.</param>
    public ValueTask<JsonRpcMessage?> DispatchAsync(JsonRpcMessage message, CancellationToken cancellationToken)
        => _handler.HandleAsync(message, cancellationToken);

    /// <summary>
    /// Answers every message of <paramref name="body"/>, which must not be a rejection. A batch's messages
    /// are handled concurrently (the bridge multiplexes them over the server) and answered in their order.
    /// </summary>
    /// <param name="body">The client's messages.</param>
    /// <param name="withNotifications">Whether to keep the server's notifications that belong to these requests (for an SSE answer).</param>
    /// <param name="cancellationToken">Cancelled at the invocation's deadline.</param>
    internal async ValueTask<JsonRpcAnswers> DispatchAsync(JsonRpcBody body, bool withNotifications, CancellationToken cancellationToken)
    {
        var notifications = withNotifications ? new NotificationCollector() : null;
        var pending = new ValueTask<JsonRpcMessage?>[body.Entries.Count];
        for (var i = 0; i < pending.Length; i++)
        {
            var entry = body.Entries[i];
            pending[i] = entry.Message is not { } message ? ValueTask.FromResult<JsonRpcMessage?>(entry.Invalid)
                : notifications is null ? DispatchAsync(message, cancellationToken)
                : _handler.HandleAsync(message, notifications.Add, cancellationToken);
        }

        var answers = new List<JsonRpcMessage>(pending.Length);
        foreach (var answer in pending)
        {
            if (await answer.ConfigureAwait(false) is { } message)
            {
                answers.Add(message);
            }
        }

        return new JsonRpcAnswers(body.IsBatch, answers) { Notifications = notifications?.Collected ?? [] };
    }

    /// <inheritdoc cref="DispatchAsync(JsonRpcBody, bool, CancellationToken)"/>
    internal ValueTask<JsonRpcAnswers> DispatchAsync(JsonRpcBody body, CancellationToken cancellationToken)
        => DispatchAsync(body, withNotifications: false, cancellationToken);

    /// <summary>The answers as the response's JSON, each replaced by an error if together they would not fit in a Lambda response.</summary>
    /// <param name="answers">Non-empty answers.</param>
    /// <param name="embedded">Whether the JSON travels inside a JSON string (an HTTP body in a response event), which escapes it.</param>
    internal byte[] Serialize(JsonRpcAnswers answers, bool embedded)
        => answers.IsBatch ? _responseLimit.Serialize(answers.Messages, embedded) : _responseLimit.Serialize(answers.Messages[0], embedded);

    /// <summary>The answers' notifications as JSON, as many as fit beside the serialized <paramref name="answer"/> in a Lambda response.</summary>
    internal IReadOnlyList<byte[]> SerializeNotifications(JsonRpcAnswers answers, byte[] answer, bool embedded)
        => _responseLimit.FitBeside(answers.Notifications, answer, embedded);
}
