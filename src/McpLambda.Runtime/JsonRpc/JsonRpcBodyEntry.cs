using System.Text.Json;
using McpLambda.Runtime.Protocol;
using ModelContextProtocol.Protocol;

namespace McpLambda.Runtime.JsonRpc;

/// <summary>One entry of a <see cref="JsonRpcBody"/>: a message, or the error that answers an entry that is not one.</summary>
/// <param name="Message">The message, or null when the entry is invalid.</param>
/// <param name="Invalid">The <c>Invalid Request</c> error naming the entry's id where it is readable, or null.</param>
internal readonly record struct JsonRpcBodyEntry(JsonRpcMessage? Message, JsonRpcError? Invalid)
{
    public static JsonRpcBodyEntry Read(JsonElement element)
    {
        var message = JsonRpcMessages.TryRead(element, out var problem);
        return message is not null
            ? new JsonRpcBodyEntry(message, null)
            : new JsonRpcBodyEntry(null, JsonRpcMessages.Error(JsonRpcMessages.ReadId(element), JsonRpcErrorCodes.InvalidRequest, "Invalid Request: " + problem));
    }
}
