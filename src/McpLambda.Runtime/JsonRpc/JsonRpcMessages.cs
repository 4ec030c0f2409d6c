using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization.Metadata;
using ModelContextProtocol;
using ModelContextProtocol.Protocol;

namespace McpLambda.Runtime.JsonRpc;

/// <summary>Reads and writes JSON-RPC messages with the MCP SDK's trim-safe contracts.</summary>
internal static class JsonRpcMessages
{
    private static readonly JsonTypeInfo<JsonRpcMessage> MessageInfo =
        (JsonTypeInfo<JsonRpcMessage>)McpJsonUtilities.DefaultOptions.GetTypeInfo(typeof(JsonRpcMessage));

    /// <summary>Builds an error answer; <paramref name="id"/> default means <c>"id": null</c>.</summary>
    public static JsonRpcError Error(RequestId id, int code, string message, JsonNode? data = null) => new()
    {
        Id = id,
        Error = new JsonRpcErrorDetail { Code = code, Message = message, Data = data },
    };

    /// <summary>Reads one message from a JSON element, or explains why it is not one.</summary>
    public static JsonRpcMessage? TryRead(JsonElement element, out string? problem)
    {
        problem = Validate(element);
        if (problem is not null)
        {
            return null;
        }

        try
        {
            return element.Deserialize(MessageInfo);
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException)
        {
            // InvalidOperationException: a string escapes half a surrogate pair ("\ud800"), valid JSON but no text.
            problem = "Not a valid JSON-RPC message: " + ex.Message;
            return null;
        }
    }

    /// <summary>The id of a message that may be malformed, so an error can still name it.</summary>
    public static RequestId ReadId(JsonElement element)
    {
        if (element.ValueKind == JsonValueKind.Object && element.TryGetProperty("id", out var id))
        {
            if (id.ValueKind == JsonValueKind.String && TryGetString(id) is { } text)
            {
                return new RequestId(text);
            }

            if (id.ValueKind == JsonValueKind.Number && id.TryGetInt64(out var n))
            {
                return new RequestId(n);
            }
        }

        return default;
    }

    /// <summary>A member's name, or null when it is no text: invalid UTF-8, or half a surrogate pair escaped.</summary>
    private static string? TryGetName(JsonProperty member)
    {
        try
        {
            return member.Name;
        }
        catch (InvalidOperationException)
        {
            return null;
        }
    }

    /// <summary>The string's text, or null when it escapes half a surrogate pair, which no string can hold.</summary>
    private static string? TryGetString(JsonElement element)
    {
        try
        {
            return element.GetString();
        }
        catch (InvalidOperationException)
        {
            return null;
        }
    }

    public static byte[] ToUtf8(JsonRpcMessage message) => JsonSerializer.SerializeToUtf8Bytes(message, MessageInfo);

    public static byte[] ToUtf8(IReadOnlyList<JsonRpcMessage> batch)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartArray();
            foreach (var message in batch)
            {
                JsonSerializer.Serialize(writer, message, MessageInfo);
            }

            writer.WriteEndArray();
        }

        return buffer.ToArray();
    }

    private static string? Validate(JsonElement element)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            return $"A JSON-RPC message must be an object, not {element.ValueKind.ToString().ToLowerInvariant()}.";
        }

        if (!element.TryGetProperty("jsonrpc", out var version) || version.ValueKind != JsonValueKind.String || !version.ValueEquals("2.0"))
        {
            return "The message lacks \"jsonrpc\": \"2.0\".";
        }

        var hasMethod = element.TryGetProperty("method", out var method);
        if (hasMethod && method.ValueKind != JsonValueKind.String)
        {
            return "\"method\" must be a string.";
        }

        var hasId = element.TryGetProperty("id", out var id);
        if (hasId && id.ValueKind is not (JsonValueKind.String or JsonValueKind.Number))
        {
            return "\"id\" must be a string or a number.";
        }

        if (!hasMethod && !(hasId && (element.TryGetProperty("result", out _) || element.TryGetProperty("error", out _))))
        {
            return "The message is neither a request, a notification nor a response.";
        }

        // Which of two same-named members counts is up to each reader (RFC 8259); JSON nodes throw on them and on names that are no text.
        return UnreadableMember(element, "message") is { } member ? $"The {member}." : null;
    }

    /// <summary>Where an object in <paramref name="element"/> names a member twice (e.g. <c>params has "name" twice</c>) or by no text, or null.</summary>
    private static string? UnreadableMember(JsonElement element, string path)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                HashSet<string>? seen = null;
                foreach (var member in element.EnumerateObject())
                {
                    seen ??= new HashSet<string>(StringComparer.Ordinal);
                    if (TryGetName(member) is not { } name)
                    {
                        return $"{path} has a member whose name is not text (invalid UTF-8 or half a surrogate pair)";
                    }

                    if (!seen.Add(name))
                    {
                        return $"{path} has \"{name}\" twice";
                    }

                    if (member.Value.ValueKind is JsonValueKind.Object or JsonValueKind.Array && UnreadableMember(member.Value, name) is { } inner)
                    {
                        return inner;
                    }
                }

                return null;
            case JsonValueKind.Array:
                foreach (var item in element.EnumerateArray())
                {
                    if (item.ValueKind is JsonValueKind.Object or JsonValueKind.Array && UnreadableMember(item, path) is { } inner)
                    {
                        return inner;
                    }
                }

                return null;
            default:
                return null;
        }
    }
}
