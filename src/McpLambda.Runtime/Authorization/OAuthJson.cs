using System.Text.Json;

namespace McpLambda.Runtime.Authorization;

/// <summary>The OAuth documents' JSON, written with <see cref="Utf8JsonWriter"/> (no reflection, so Native AOT keeps it).</summary>
internal static class OAuthJson
{
    /// <summary>The UTF-8 JSON that <paramref name="write"/> writes.</summary>
    public static byte[] Write(Action<Utf8JsonWriter> write)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            write(json);
        }

        return buffer.ToArray();
    }

    /// <summary>A member whose value is an array of strings.</summary>
    public static void WriteList(Utf8JsonWriter json, string name, IEnumerable<string> values)
    {
        json.WriteStartArray(name);
        foreach (var value in values)
        {
            json.WriteStringValue(value);
        }

        json.WriteEndArray();
    }
}
