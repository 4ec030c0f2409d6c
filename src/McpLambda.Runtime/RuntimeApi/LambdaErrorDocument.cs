using System.Text.Json;
using McpLambda.Runtime.Observability;

namespace McpLambda.Runtime.RuntimeApi;

/// <summary>The <c>{"errorMessage", "errorType"}</c> document Lambda uses for function and service errors.</summary>
internal static class LambdaErrorDocument
{
    /// <summary>The longest <c>errorMessage</c> posted, in characters.</summary>
    public const int MaxMessageLength = 16 * 1024;

    public static byte[] Create(string errorType, string message)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("errorMessage", TextTruncation.Truncate(message, MaxMessageLength));
            writer.WriteString("errorType", errorType);
            writer.WriteEndObject();
        }

        return buffer.ToArray();
    }
}
