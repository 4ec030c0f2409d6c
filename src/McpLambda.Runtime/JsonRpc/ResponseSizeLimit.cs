using McpLambda.Runtime.Http;
using McpLambda.Runtime.Protocol;
using ModelContextProtocol.Protocol;

namespace McpLambda.Runtime.JsonRpc;

/// <summary>
/// Keeps answers within what Lambda can return: an answer too large to send is replaced by a JSON-RPC
/// error per request that says so, instead of a response the Runtime API would refuse.
/// </summary>
/// <param name="bytes">The limit (<c>MCPLAMBDA_MAX_RESPONSE_BYTES</c>).</param>
internal sealed class ResponseSizeLimit(int bytes)
{
    /// <summary>The limit in bytes.</summary>
    public int Bytes { get; } = bytes;

    /// <summary>Serializes <paramref name="answer"/>, or an error in its place when it would not fit.</summary>
    /// <param name="answer">The answer.</param>
    /// <param name="sizeOf">The bytes the JSON takes in the response that carries it.</param>
    public byte[] Serialize(JsonRpcMessage answer, BodySize sizeOf)
    {
        var json = JsonRpcMessages.ToUtf8(answer);
        var size = sizeOf(json);
        return size <= Bytes ? json : JsonRpcMessages.ToUtf8(TooLarge(answer, size));
    }

    /// <inheritdoc cref="Serialize(JsonRpcMessage, BodySize)"/>
    public byte[] Serialize(IReadOnlyList<JsonRpcMessage> answers, BodySize sizeOf)
    {
        var json = JsonRpcMessages.ToUtf8(answers);
        var size = sizeOf(json);
        return size <= Bytes ? json : JsonRpcMessages.ToUtf8([.. answers.Select(a => TooLarge(a, size))]);
    }

    /// <summary>
    /// Keeps the serialized <paramref name="notifications"/> in order, as many as fit in the response beside an answer of
    /// <paramref name="answer"/>: the answer always goes out, the notifications that do not fit are dropped. One line
    /// logs how many were dropped in all, <paramref name="droppedBefore"/> (while they were collected) included.
    /// </summary>
    public IReadOnlyList<byte[]> FitBeside(IReadOnlyList<byte[]> notifications, byte[] answer, BodySize sizeOf, int droppedBefore = 0)
    {
        var fitted = new List<byte[]>(notifications.Count);
        var used = sizeOf(answer) + EventFramingBytes;
        foreach (var json in notifications)
        {
            used += sizeOf(json) + EventFramingBytes;
            if (used > Bytes)
            {
                break;
            }

            fitted.Add(json);
        }

        var dropped = droppedBefore + notifications.Count - fitted.Count;
        if (dropped > 0)
        {
            Observability.Log.Warn($"{dropped} of the server's notifications were dropped: with the answer they exceed the response limit of {Bytes} bytes");
        }

        return fitted;
    }

    /// <summary>What an SSE event adds around its JSON (<c>event: message</c>, <c>data: </c>, line ends, escaped or not).</summary>
    internal const int EventFramingBytes = 32;

    private JsonRpcMessage TooLarge(JsonRpcMessage answer, long size)
        => JsonRpcMessages.Error((answer as JsonRpcMessageWithId)?.Id ?? default, JsonRpcErrorCodes.InternalError,
            $"The MCP server's answer is {size} bytes, over this function's response limit of {Bytes} bytes (AWS Lambda returns at most 6 MB); ask for less, e.g. page through results.");
}
