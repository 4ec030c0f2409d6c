using System.Text.Json.Nodes;

namespace McpLambda.Runtime.AgentCore;

/// <summary>Merges the members of <c>allOf</c> into the schema: AgentCore has no schema composition.</summary>
internal sealed class AllOfMerger(SchemaChangeLog log)
{
    /// <summary>Replaces the schema's <c>allOf</c>, if any, by its members' keywords.</summary>
    /// <returns>Whether the schema had an <c>allOf</c>.</returns>
    public bool TryMerge(JsonObject schema, string path)
    {
        if (schema["allOf"] is not { } allOf)
        {
            return false;
        }

        schema.Remove("allOf");
        if (allOf is JsonArray members)
        {
            foreach (var member in members)
            {
                if (member is JsonObject memberSchema)
                {
                    SchemaMerge.Into(schema, memberSchema);
                }
            }
        }

        log.Report(path, "merged the members of \"allOf\"");
        return true;
    }
}
