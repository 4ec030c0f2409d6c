using System.Text.Json;

namespace McpLambda.Runtime.RuntimeApi;

/// <summary>The <c>{"errorMessage", "errorType"}</c> document Lambda uses for function and service errors.</summary>
internal static class LambdaErrorDocument
{
    public static byte[] Create(string errorType, string message)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("errorMessage", message);
            writer.WriteString("errorType", errorType);
            writer.WriteEndObject();
        }

        return buffer.ToArray();
    }
}
