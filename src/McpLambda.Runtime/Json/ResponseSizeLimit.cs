using ModelContextProtocol.Protocol;

namespace McpLambda.Runtime.Json;

/// <summary>
/// Keeps answers within what Lambda can return: an answer too large to send is replaced by a JSON-RPC
/// error per request that says so, instead of a response the Runtime API would refuse.
/// </summary>
internal static class ResponseSizeLimit
{
    /// <summary>
    /// Lambda returns at most 6 MB, and HTTP front doors embed the body as an escaped JSON string, so the
    /// default leaves room for the envelope. Set <c>MCPLAMBDA_MAX_RESPONSE_BYTES</c> to change it.
    /// </summary>
    public static int Bytes { get; } =
        int.TryParse(Environment.GetEnvironmentVariable("MCPLAMBDA_MAX_RESPONSE_BYTES"), out var limit) && limit > 0 ? limit : 5 * 1024 * 1024;

    public static byte[] Serialize(JsonRpcMessage answer)
    {
        var json = JsonRpcMessages.ToUtf8(answer);
        return json.Length <= Bytes ? json : JsonRpcMessages.ToUtf8(TooLarge(answer, json.Length));
    }

    public static byte[] Serialize(IReadOnlyList<JsonRpcMessage> answers)
    {
        var json = JsonRpcMessages.ToUtf8(answers);
        return json.Length <= Bytes ? json : JsonRpcMessages.ToUtf8([.. answers.Select(a => TooLarge(a, json.Length))]);
    }

    private static JsonRpcMessage TooLarge(JsonRpcMessage answer, int size)
        => JsonRpcMessages.Error((answer as JsonRpcMessageWithId)?.Id ?? default, JsonRpcErrorCodes.InternalError,
            $"The MCP server's answer is {size} bytes, over this function's response limit of {Bytes} bytes (AWS Lambda returns at most 6 MB); ask for less, e.g. page through results.");
}
