using System.Buffers;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace McpLambda.Runtime.Events;

/// <summary>
/// An HTTP body as a response event carries it: UTF-8 text in a JSON string. The one place that knows how a body is
/// escaped into an event, so the bytes it takes there (<see cref="SizeOf"/>) are the bytes it gets: the answer stays
/// UTF-8 from the server to the event, written straight from those bytes.
/// </summary>
/// <param name="Utf8">The body's UTF-8 text.</param>
[JsonConverter(typeof(EventBodyConverter))]
internal readonly record struct EventBody(ReadOnlyMemory<byte> Utf8)
{
    /// <summary>
    /// The bytes <paramref name="body"/> takes in a response event, quotes included: what the events' encoder escapes
    /// (quotes, backslashes, control characters, code points it does not pass through) grows, the rest is as it is.
    /// </summary>
    public static long SizeOf(ReadOnlySpan<byte> body)
    {
        var encoder = EventJson.Encoder;
        var first = encoder.FindFirstCharacterToEncodeUtf8(body);
        if (first < 0)
        {
            return body.Length + 2L;
        }

        // From the first character to escape on, the encoder itself says what the rest becomes.
        long size = first + 2L;
        Span<byte> scratch = stackalloc byte[512];
        var rest = body[first..];
        while (true)
        {
            var status = encoder.EncodeUtf8(rest, scratch, out var consumed, out var written);
            size += written;
            rest = rest[consumed..];
            if (status != OperationStatus.DestinationTooSmall)
            {
                return size;
            }
        }
    }
}

/// <summary>Writes an <see cref="EventBody"/> as a JSON string from its UTF-8 bytes, and reads one back.</summary>
internal sealed class EventBodyConverter : JsonConverter<EventBody>
{
    /// <inheritdoc/>
    public override EventBody Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.String)
        {
            throw new JsonException("an event body must be a JSON string");
        }

        // Unescaped text is never longer than its escaped form.
        var text = new byte[reader.HasValueSequence ? checked((int)reader.ValueSequence.Length) : reader.ValueSpan.Length];
        return new EventBody(text.AsMemory(0, reader.CopyString(text)));
    }

    /// <inheritdoc/>
    public override void Write(Utf8JsonWriter writer, EventBody value, JsonSerializerOptions options) => writer.WriteStringValue(value.Utf8.Span);
}
