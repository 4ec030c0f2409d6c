using System.Text.Json.Nodes;

namespace McpLambda.Runtime.AgentCore;

/// <summary>Reports the keywords outside AgentCore's <c>SchemaDefinition</c>, which the converted schema leaves out.</summary>
internal sealed class SchemaKeywordFilter(SchemaChangeLog log)
{
    /// <summary>Every keyword outside AgentCore's <c>SchemaDefinition</c> that no earlier step took over.</summary>
    public void ReportRemovedKeywords(JsonObject schema, string path)
    {
        foreach (var (keyword, value) in schema)
        {
            // default, enum and const were carried into the description.
            if (AgentCoreToolSchemaConverter.SupportedKeywords.Contains(keyword) || keyword is "default" or "enum" or "const")
            {
                continue;
            }

            log.Report(path, keyword is "$defs" or "definitions"
                ? $"removed \"{keyword}\" (references to it are inlined)"
                : value is JsonValue
                    ? $"removed \"{keyword}\": {SchemaText.Brief(value)}"
                    : $"removed \"{keyword}\"");
        }
    }
}
