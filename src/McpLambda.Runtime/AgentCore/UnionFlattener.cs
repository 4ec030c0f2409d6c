using System.Text.Json.Nodes;

namespace McpLambda.Runtime.AgentCore;

/// <summary>What <see cref="UnionFlattener.Flatten"/> did.</summary>
internal enum UnionFlattening
{
    /// <summary>The schema has no <c>anyOf</c> or <c>oneOf</c>.</summary>
    NoUnion,

    /// <summary>The union was replaced by one member, or removed when empty.</summary>
    Flattened,

    /// <summary>Every member is null: the schema allows only null.</summary>
    OnlyNull,
}

/// <summary>
/// Flattens <c>anyOf</c>/<c>oneOf</c> to one member, AgentCore having no unions: null members make the property
/// optional, and of several non-null members the first is kept.
/// </summary>
internal sealed class UnionFlattener(SchemaChangeLog log)
{
    /// <summary>Replaces the schema's <c>anyOf</c> (else <c>oneOf</c>), if any, by its first non-null member.</summary>
    /// <param name="schema">The schema, changed in place.</param>
    /// <param name="path">Where the schema is, for the report.</param>
    /// <param name="optional">Set when a member is null.</param>
    public UnionFlattening Flatten(JsonObject schema, string path, ref bool optional)
    {
        var unionKeyword = schema.ContainsKey("anyOf") ? "anyOf" : schema.ContainsKey("oneOf") ? "oneOf" : null;
        if (unionKeyword is null)
        {
            return UnionFlattening.NoUnion;
        }

        var union = schema[unionKeyword];
        schema.Remove(unionKeyword);
        var alternatives = union is JsonArray list ? list.ToList() : [];
        var nonNull = alternatives.Where(a => !IsNullSchema(a)).ToList();
        var hadNull = nonNull.Count < alternatives.Count;
        optional |= hadNull;
        if (nonNull.Count == 0)
        {
            if (hadNull)
            {
                log.Report(path, $"\"{unionKeyword}\" allows only null; removed");
                return UnionFlattening.OnlyNull;
            }

            log.Report(path, $"removed an empty \"{unionKeyword}\"");
            return UnionFlattening.Flattened;
        }

        var chosen = nonNull[0];
        var described = Describe(chosen);
        var names = string.Join(", ", alternatives.Select(Describe));
        if (chosen is JsonObject chosenSchema)
        {
            SchemaMerge.Into(schema, chosenSchema);
        }

        var optionalNote = hadNull ? "; the property is optional" : "";
        log.Report(path, nonNull.Count == 1
            ? $"\"{unionKeyword}\" [{names}] replaced by its non-null member ({described})" + optionalNote
            : $"\"{unionKeyword}\" [{names}] reduced to its first non-null member ({described}); AgentCore has no unions" + optionalNote);
        return UnionFlattening.Flattened;
    }

    private static bool IsNullSchema(JsonNode? node)
        => node is JsonObject schema && (SchemaText.StringOf(schema["type"]) == "null"
           || (schema["type"] is JsonArray types && types.Count > 0 && types.All(t => SchemaText.StringOf(t) == "null"))
           || (schema.ContainsKey("const") && schema["const"] is null));

    /// <summary>A member as the report names it: its type, its reference, or a short form.</summary>
    private static string Describe(JsonNode? node) => node switch
    {
        JsonObject schema when SchemaText.StringOf(schema["type"]) is { } type => type,
        JsonObject schema when SchemaText.StringOf(schema["$ref"]) is { } reference => reference,
        JsonObject schema when schema["type"] is JsonArray types => SchemaText.Json(types),
        JsonObject => "{…}",
        _ => SchemaText.Brief(node),
    };
}
