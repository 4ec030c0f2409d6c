using System.Text.Json;
using System.Text.Json.Nodes;

namespace McpLambda.Runtime.AgentCore;

/// <summary>
/// Settles the one <c>type</c> AgentCore gets: from <c>type</c> (a name or an array with <c>"null"</c>) and OpenAPI's
/// <c>nullable</c>, or inferred from the other keywords when absent.
/// </summary>
internal sealed class SchemaTypeReader(SchemaChangeLog log)
{
    /// <summary>OpenAPI's <c>nullable</c>: <c>true</c> makes the property optional; either way it goes.</summary>
    public void ReadNullable(JsonObject schema, string path, ref bool optional)
    {
        if (schema["nullable"] is not JsonValue nullable)
        {
            return;
        }

        schema.Remove("nullable");
        if (nullable.GetValueKind() == JsonValueKind.True)
        {
            optional = true;
            log.Report(path, "removed \"nullable\": true; the property is optional");
        }
        else
        {
            log.Report(path, $"removed \"nullable\": {SchemaText.Json(nullable)}");
        }
    }

    /// <summary>
    /// The declared <c>type</c>: a string, an array of strings (with <c>"null"</c>, which makes the property optional),
    /// or absent (null). False when the schema allows only null, and is removed.
    /// </summary>
    public bool TryReadType(JsonObject schema, string path, ref bool optional, out string? type)
    {
        type = null;
        if (schema["type"] is JsonArray types)
        {
            var names = types.Select(SchemaText.StringOf).Where(n => n is not null).Cast<string>().ToList();
            var nonNull = names.Where(n => n != "null").ToList();
            if (nonNull.Count < names.Count)
            {
                optional = true;
            }

            if (nonNull.Count == 0)
            {
                log.Report(path, $"\"type\": {SchemaText.Json(types)} allows only null; removed");
                return false;
            }

            type = nonNull[0];
            log.Report(path, nonNull.Count == 1
                ? $"\"type\": {SchemaText.Json(types)} replaced by \"{type}\"" + (optional ? "; the property is optional" : "")
                : $"\"type\": {SchemaText.Json(types)} reduced to its first non-null type \"{type}\"; AgentCore has no unions" + (nonNull.Count < names.Count ? "; the property is optional" : ""));
        }
        else if (SchemaText.StringOf(schema["type"]) is { } single)
        {
            type = single;
            if (type == "null")
            {
                log.Report(path, "\"type\": \"null\" allows only null; removed");
                return false;
            }
        }
        else if (schema["type"] is { } odd)
        {
            log.Report(path, $"removed \"type\": {SchemaText.Brief(odd)} (not a type name)");
        }

        return true;
    }

    /// <summary>The type AgentCore gets: the declared one if supported, else <c>string</c>; inferred when absent; null for "any value".</summary>
    public string? SettleType(JsonObject schema, string path, string? declared)
    {
        if (declared is null)
        {
            var inferred = Infer(schema);
            if (inferred is not null)
            {
                log.Report(path, $"added \"type\": \"{inferred}\" (inferred)");
            }

            return inferred;
        }

        if (!AgentCoreToolSchemaConverter.SupportedTypes.Contains(declared))
        {
            log.Report(path, $"\"type\": \"{declared}\" is not supported; replaced by \"string\"");
            return "string";
        }

        return declared;
    }

    /// <summary>The type the members imply (object, array), or the one type of the <c>enum</c>/<c>const</c>/<c>default</c> values.</summary>
    private static string? Infer(JsonObject schema)
    {
        if (schema["properties"] is JsonObject || schema.ContainsKey("additionalProperties") || schema.ContainsKey("required"))
        {
            return "object";
        }

        if (schema.ContainsKey("items"))
        {
            return "array";
        }

        var samples = new List<JsonNode?>();
        if (schema["enum"] is JsonArray values)
        {
            samples.AddRange(values);
        }

        if (schema.ContainsKey("const"))
        {
            samples.Add(schema["const"]);
        }

        if (schema["default"] is { } defaultValue)
        {
            samples.Add(defaultValue);
        }

        var kinds = samples.Where(s => s is not null).Select(s => TypeOf(s!)).Distinct().ToList();
        if (kinds.Count == 2 && kinds.Contains("integer") && kinds.Contains("number"))
        {
            return "number";
        }

        return kinds.Count == 1 ? kinds[0] : null;
    }

    private static string TypeOf(JsonNode value) => value.GetValueKind() switch
    {
        JsonValueKind.String => "string",
        JsonValueKind.Number => value.AsValue().TryGetValue<long>(out _) || (value.AsValue().TryGetValue<double>(out var d) && d == Math.Floor(d)) ? "integer" : "number",
        JsonValueKind.True or JsonValueKind.False => "boolean",
        JsonValueKind.Array => "array",
        _ => "object",
    };
}
