using System.Text.Json;

namespace McpLambda.Runtime.EventAdapters;

/// <summary>
/// The top-level facts of an event that tell its source apart, read once with a forward-only reader
/// so a function with several ways in does not parse the event twice in full.
/// </summary>
internal readonly record struct EventShape(bool IsArray, bool HasJsonRpc, bool HasHttpMethod, bool IsPayloadV2)
{
    /// <summary>Reads the shape of <paramref name="payload"/>; malformed JSON gives an empty shape.</summary>
    public static EventShape Read(ReadOnlySpan<byte> payload)
    {
        var reader = new Utf8JsonReader(payload);
        try
        {
            if (!reader.Read())
            {
                return default;
            }

            if (reader.TokenType == JsonTokenType.StartArray)
            {
                return new EventShape(true, false, false, false);
            }

            if (reader.TokenType != JsonTokenType.StartObject)
            {
                return default;
            }

            bool jsonRpc = false, httpMethod = false, v2 = false;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("jsonrpc"u8))
                {
                    jsonRpc = true;
                }
                else if (reader.ValueTextEquals("httpMethod"u8))
                {
                    httpMethod = true;
                }
                else if (reader.ValueTextEquals("version"u8))
                {
                    reader.Read();
                    v2 = reader.TokenType == JsonTokenType.String && reader.ValueTextEquals("2.0"u8);
                    continue;
                }

                reader.Read();
                reader.Skip();
            }

            return new EventShape(false, jsonRpc, httpMethod, v2);
        }
        catch (JsonException)
        {
            return default;
        }
    }
}
