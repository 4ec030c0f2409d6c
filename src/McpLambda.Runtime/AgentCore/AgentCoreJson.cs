using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace McpLambda.Runtime.AgentCore;

/// <summary>Writes JSON with a <see cref="Utf8JsonWriter"/> into UTF-8 bytes or a string.</summary>
internal static class AgentCoreJson
{
    /// <summary>For text that people read (reports, descriptions, the exported file): no escaping beyond what JSON needs.</summary>
    public static JsonWriterOptions Readable { get; } = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>What <paramref name="write"/> writes, as UTF-8.</summary>
    public static byte[] ToUtf8(Action<Utf8JsonWriter> write, JsonWriterOptions options = default)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, options))
        {
            write(writer);
        }

        return buffer.ToArray();
    }

    /// <summary>What <paramref name="write"/> writes, as a string.</summary>
    public static string ToText(Action<Utf8JsonWriter> write, JsonWriterOptions options = default)
        => Encoding.UTF8.GetString(ToUtf8(write, options));
}
