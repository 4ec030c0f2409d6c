using System.Text.Json;
using System.Text.Json.Nodes;

namespace McpLambda.Runtime.AgentCore;

/// <summary>Reads strings out of schema nodes and quotes nodes in descriptions and change reports.</summary>
internal static class SchemaText
{
    /// <summary>The node's text when it is a JSON string, else null.</summary>
    public static string? StringOf(JsonNode? node)
        => node is JsonValue value && value.GetValueKind() == JsonValueKind.String ? value.GetValue<string>() : null;

    /// <summary>The node as compact, readable JSON (<c>null</c> for a JSON null).</summary>
    public static string Json(JsonNode? node) => node is null ? "null" : AgentCoreJson.ToText(writer => node.WriteTo(writer), AgentCoreJson.Readable);

    /// <summary><see cref="Json"/> cut to 60 characters, so a report line stays one line.</summary>
    public static string Brief(JsonNode? node)
    {
        var json = Json(node);
        return json.Length <= 60 ? json : json[..57] + "...";
    }
}
