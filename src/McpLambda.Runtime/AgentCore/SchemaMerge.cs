using System.Text.Json.Nodes;

namespace McpLambda.Runtime.AgentCore;

/// <summary>How a referenced schema, an <c>allOf</c> member or a chosen union member joins the schema that names it.</summary>
internal static class SchemaMerge
{
    /// <summary>Copies <paramref name="from"/> into <paramref name="into"/>; keywords already in <paramref name="into"/> win, properties and required are united.</summary>
    public static void Into(JsonObject into, JsonObject from)
    {
        foreach (var (keyword, value) in from)
        {
            if (keyword == "properties" && value is JsonObject fromProperties && into["properties"] is JsonObject intoProperties)
            {
                foreach (var (name, property) in fromProperties)
                {
                    if (!intoProperties.ContainsKey(name))
                    {
                        intoProperties[name] = property?.DeepClone();
                    }
                }
            }
            else if (keyword == "required" && value is JsonArray fromRequired && into["required"] is JsonArray intoRequired)
            {
                foreach (var name in fromRequired)
                {
                    if (!intoRequired.Any(n => SchemaText.Json(n) == SchemaText.Json(name)))
                    {
                        intoRequired.Add(name?.DeepClone());
                    }
                }
            }
            else if (!into.ContainsKey(keyword))
            {
                into[keyword] = value?.DeepClone();
            }
        }
    }
}
