using System.Text.Json;
using McpLambda.Runtime.Http;

namespace McpLambda.Runtime.EventAdapters;

/// <summary>
/// The JSON prelude of a streamed HTTP integration response, as AWS documents it: <c>statusCode</c> and <c>headers</c>;
/// <c>cookies</c> for payload format 2.0 (function URLs), <c>multiValueHeaders</c> for API Gateway REST.
/// </summary>
internal static class HttpIntegrationPrelude
{
    /// <summary>A function URL's prelude: headers joined by commas, <c>Set-Cookie</c> values as <c>cookies</c>.</summary>
    public static byte[] PayloadV2(int statusCode, HttpHeaderCollection headers)
        => Write(statusCode, writer =>
        {
            writer.WriteStartObject("headers");
            foreach (var (name, values) in headers)
            {
                if (!IsSetCookie(name))
                {
                    writer.WriteString(name, string.Join(", ", values));
                }
            }

            writer.WriteEndObject();
            writer.WriteStartArray("cookies");
            foreach (var (name, values) in headers)
            {
                foreach (var cookie in IsSetCookie(name) ? values : [])
                {
                    writer.WriteStringValue(cookie);
                }
            }

            writer.WriteEndArray();
        });

    /// <summary>An API Gateway REST prelude: the last value of each header, and every value in <c>multiValueHeaders</c>.</summary>
    public static byte[] Rest(int statusCode, HttpHeaderCollection headers)
        => Write(statusCode, writer =>
        {
            writer.WriteStartObject("headers");
            foreach (var (name, values) in headers)
            {
                writer.WriteString(name, values[^1]);
            }

            writer.WriteEndObject();
            writer.WriteStartObject("multiValueHeaders");
            foreach (var (name, values) in headers)
            {
                writer.WriteStartArray(name);
                foreach (var value in values)
                {
                    writer.WriteStringValue(value);
                }

                writer.WriteEndArray();
            }

            writer.WriteEndObject();
        });

    private static bool IsSetCookie(string name) => name.Equals("Set-Cookie", StringComparison.OrdinalIgnoreCase);

    private static byte[] Write(int statusCode, Action<Utf8JsonWriter> headers)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteNumber("statusCode", statusCode);
            headers(writer);
            writer.WriteEndObject();
        }

        return buffer.ToArray();
    }
}
