using System.Text.Json.Nodes;

namespace McpLambda.Runtime.AgentCore;

/// <summary>
/// Writes the description, with the values AgentCore cannot state (<c>default</c>, <c>enum</c>, <c>const</c>)
/// added as sentences, so a client still learns them.
/// </summary>
internal sealed class SchemaDescriptionWriter(SchemaChangeLog log)
{
    /// <summary>Values that AgentCore cannot state (<c>default</c>, <c>enum</c>, <c>const</c>) become sentences for the description.</summary>
    public List<string> MoveValuesIntoNotes(JsonObject schema, string path)
    {
        var notes = new List<string>();
        if (schema.ContainsKey("default"))
        {
            var value = schema["default"];
            if (value is null)
            {
                log.Report(path, "removed \"default\": null");
            }
            else
            {
                notes.Add($"Default: {SchemaText.Json(value)}.");
                log.Report(path, $"moved \"default\": {SchemaText.Brief(value)} into the description");
            }
        }

        if (schema["enum"] is JsonArray values)
        {
            notes.Add("Allowed values: " + string.Join(", ", values.Select(SchemaText.Json)) + ".");
            log.Report(path, $"moved \"enum\" {SchemaText.Brief(values)} into the description");
        }
        else if (schema.ContainsKey("enum"))
        {
            log.Report(path, $"removed \"enum\": {SchemaText.Brief(schema["enum"])} (not an array)");
        }

        if (schema.ContainsKey("const"))
        {
            notes.Add($"Must be {SchemaText.Json(schema["const"])}.");
            log.Report(path, $"moved \"const\": {SchemaText.Brief(schema["const"])} into the description");
        }

        return notes;
    }

    /// <summary>The schema's description (when it is a string) followed by <paramref name="notes"/>.</summary>
    public void WriteDescription(JsonObject schema, JsonObject result, string path, List<string> notes)
    {
        var description = SchemaText.StringOf(schema["description"]);
        if (schema["description"] is { } badDescription && description is null)
        {
            log.Report(path, $"removed \"description\": {SchemaText.Brief(badDescription)} (not a string)");
        }

        if (notes.Count > 0)
        {
            description = string.IsNullOrWhiteSpace(description) ? string.Join(" ", notes) : description.TrimEnd() + (description.TrimEnd().EndsWith('.') ? " " : ". ") + string.Join(" ", notes);
        }

        if (description is not null)
        {
            result["description"] = description;
        }
    }
}
