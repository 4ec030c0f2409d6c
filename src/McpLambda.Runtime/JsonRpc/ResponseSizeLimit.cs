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
    /// <param name="embedded">Whether the JSON travels inside a JSON string (an HTTP body in a response event), which escapes it.</param>
    public byte[] Serialize(JsonRpcMessage answer, bool embedded)
    {
        var json = JsonRpcMessages.ToUtf8(answer);
        var size = SizeInResponse(json, embedded);
        return size <= Bytes ? json : JsonRpcMessages.ToUtf8(TooLarge(answer, size));
    }

    /// <inheritdoc cref="Serialize(JsonRpcMessage, bool)"/>
    public byte[] Serialize(IReadOnlyList<JsonRpcMessage> answers, bool embedded)
    {
        var json = JsonRpcMessages.ToUtf8(answers);
        var size = SizeInResponse(json, embedded);
        return size <= Bytes ? json : JsonRpcMessages.ToUtf8([.. answers.Select(a => TooLarge(a, size))]);
    }

    /// <summary>
    /// Keeps the serialized <paramref name="notifications"/> in order, as many as fit in the response beside an answer of
    /// <paramref name="answer"/>: the answer always goes out, the notifications that do not fit are dropped. One line
    /// logs how many were dropped in all, <paramref name="droppedBefore"/> (while they were collected) included.
    /// </summary>
    public IReadOnlyList<byte[]> FitBeside(IReadOnlyList<byte[]> notifications, byte[] answer, bool embedded, int droppedBefore = 0)
    {
        var fitted = new List<byte[]>(notifications.Count);
        var used = SizeInResponse(answer, embedded) + EventFramingBytes;
        foreach (var json in notifications)
        {
            used += SizeInResponse(json, embedded) + EventFramingBytes;
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

    /// <summary>What an SSE event adds around its JSON (<c>event: message</c>, <c>data: </c>, line ends).</summary>
    internal const int EventFramingBytes = 32;

    /// <summary>
    /// The bytes <paramref name="json"/> takes in the response: as a JSON string every quote and backslash
    /// gains a backslash (control characters are already escapes, and non-ASCII stays as it is).
    /// </summary>
    private static long SizeInResponse(ReadOnlySpan<byte> json, bool embedded)
        => embedded ? json.Length + (long)json.Count((byte)'"') + json.Count((byte)'\\') : json.Length;

    private JsonRpcMessage TooLarge(JsonRpcMessage answer, long size)
        => JsonRpcMessages.Error((answer as JsonRpcMessageWithId)?.Id ?? default, JsonRpcErrorCodes.InternalError,
            $"The MCP server's answer is {size} bytes, over this function's response limit of {Bytes} bytes (AWS Lambda returns at most 6 MB); ask for less, e.g. page through results.");
}
