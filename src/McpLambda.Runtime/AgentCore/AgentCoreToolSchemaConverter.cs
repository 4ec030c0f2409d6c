using System.Text.Json.Nodes;

namespace McpLambda.Runtime.AgentCore;

/// <summary>
/// Turns MCP tool definitions (the <c>tools</c> of a <c>tools/list</c> result) into the tool definitions of an
/// Amazon Bedrock AgentCore Gateway Lambda target: <c>{name, description, inputSchema, outputSchema?}</c>,
/// whose schemas may only use the gateway's <c>SchemaDefinition</c>: <c>type</c> (required; one of
/// <c>string</c>, <c>number</c>, <c>integer</c>, <c>boolean</c>, <c>object</c>, <c>array</c>),
/// <c>description</c>, <c>properties</c>, <c>required</c> and <c>items</c>.
/// </summary>
/// <remarks>
/// Everything else is rewritten into the nearest accepted form, and each rewrite is reported:
/// <list type="bullet">
/// <item><c>anyOf</c>/<c>oneOf</c> with <c>{"type": "null"}</c> members (optional parameters), a <c>type</c> array
/// with <c>"null"</c>, and OpenAPI's <c>nullable: true</c> become the non-null form, and the property is taken
/// out of its parent's <c>required</c>. When several non-null alternatives remain, the first is kept.</item>
/// <item>A property whose only type is <c>null</c> is removed.</item>
/// <item><c>"default": null</c> is removed; any other <c>default</c>, and <c>enum</c> and <c>const</c>, are
/// removed and stated in the <c>description</c> (<c>Default: 3.</c>, <c>Allowed values: "a", "b".</c>), so a
/// client still learns them.</item>
/// <item><c>"items": {}</c> (an array of anything) is removed: the gateway then leaves the items unchecked,
/// which is what <c>{}</c> means. A tuple <c>items</c> array is removed likewise.</item>
/// <item>A missing <c>type</c> is inferred from <c>properties</c> (object), <c>items</c> (array), or the values
/// of <c>enum</c>/<c>const</c>/<c>default</c>; a property that may hold any value becomes <c>string</c>,
/// the gateway having no "any" type.</item>
/// <item>Local <c>$ref</c>s (<c>#/$defs/…</c>, <c>#/definitions/…</c>) are inlined; a recursive one is cut to
/// its type without members. <c>allOf</c> members are merged.</item>
/// <item><c>required</c> names that are not properties are removed.</item>
/// <item>Every other keyword (<c>$schema</c>, <c>additionalProperties</c>, <c>title</c>, <c>format</c>,
/// <c>minimum</c>, <c>pattern</c>, …) is removed.</item>
/// <item>The top-level <c>inputSchema</c>/<c>outputSchema</c> is always <c>type: object</c> with
/// <c>properties</c>; a tool without a <c>description</c> gets its title or name as one.</item>
/// </list>
/// The converter is pure: it reads JSON nodes and returns new ones.
/// </remarks>
internal static class AgentCoreToolSchemaConverter
{
    /// <summary>The values AgentCore accepts for <c>type</c>.</summary>
    public static IReadOnlyList<string> SupportedTypes { get; } = ["string", "number", "integer", "boolean", "object", "array"];

    /// <summary>The keywords of AgentCore's <c>SchemaDefinition</c>.</summary>
    public static IReadOnlyList<string> SupportedKeywords { get; } = ["type", "description", "properties", "required", "items"];

    /// <summary>Converts every tool of a <c>tools/list</c> result.</summary>
    /// <param name="tools">The MCP tool definitions.</param>
    /// <exception cref="InvalidDataException">A tool is not an object or has no name.</exception>
    public static AgentCoreToolSchemaConversion Convert(IEnumerable<JsonNode?> tools)
    {
        var changes = new List<AgentCoreSchemaChange>();
        var converted = new JsonArray();
        var index = 0;
        foreach (var tool in tools)
        {
            converted.Add((JsonNode)ConvertTool(tool, index++, changes));
        }

        return new AgentCoreToolSchemaConversion(converted, changes);
    }

    private static JsonObject ConvertTool(JsonNode? node, int index, List<AgentCoreSchemaChange> changes)
    {
        if (node is not JsonObject tool)
        {
            throw new InvalidDataException($"tools[{index}] is not a JSON object.");
        }

        if (SchemaText.StringOf(tool["name"]) is not { Length: > 0 } name)
        {
            throw new InvalidDataException($"tools[{index}] has no name.");
        }

        var log = new SchemaChangeLog(name, changes);
        var result = new JsonObject { ["name"] = name };
        if (SchemaText.StringOf(tool["description"]) is { Length: > 0 } description)
        {
            result["description"] = description;
        }
        else
        {
            var title = SchemaText.StringOf(tool["title"]) ?? SchemaText.StringOf(tool["annotations"]?["title"]);
            result["description"] = title is { Length: > 0 } ? title : name;
            log.Report("description", title is { Length: > 0 }
                ? "the tool has no description; used its title"
                : "the tool has no description; used its name");
        }

        result["inputSchema"] = new ToolSchemaRewriter(log, tool["inputSchema"] as JsonObject).TopLevel(tool["inputSchema"], "inputSchema");
        if (tool["outputSchema"] is { } output)
        {
            result["outputSchema"] = new ToolSchemaRewriter(log, output as JsonObject).TopLevel(output, "outputSchema");
        }

        return result;
    }
}
