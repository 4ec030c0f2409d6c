using System.Text.Json;
using System.Text.Json.Nodes;

namespace McpLambda.Runtime.AgentCore;

/// <summary>
/// Rewrites one tool's <c>inputSchema</c> or <c>outputSchema</c> into AgentCore's <c>SchemaDefinition</c>, schema by
/// schema down its properties and items; each rewrite goes to the <see cref="SchemaChangeLog"/>.
/// </summary>
internal sealed class ToolSchemaRewriter
{
    /// <summary>Enough for any real schema; a bound so that a schema whose rewrites never settle still ends.</summary>
    private const int MaxFlatteningRounds = 32;

    private readonly SchemaChangeLog _log;
    private readonly SchemaReferenceInliner _references;
    private readonly AllOfMerger _allOf;
    private readonly UnionFlattener _unions;
    private readonly SchemaTypeReader _types;
    private readonly SchemaDescriptionWriter _descriptions;
    private readonly SchemaKeywordFilter _keywords;

    /// <param name="log">Where the rewrites go.</param>
    /// <param name="root">The tool's schema, which local <c>$ref</c>s point into.</param>
    public ToolSchemaRewriter(SchemaChangeLog log, JsonObject? root)
    {
        _log = log;
        _references = new SchemaReferenceInliner(root, log);
        _allOf = new AllOfMerger(log);
        _unions = new UnionFlattener(log);
        _types = new SchemaTypeReader(log);
        _descriptions = new SchemaDescriptionWriter(log);
        _keywords = new SchemaKeywordFilter(log);
    }

    /// <summary>The top-level schema: always <c>type: object</c> with <c>properties</c>, as a tool's arguments are.</summary>
    public JsonObject TopLevel(JsonNode? node, string path)
    {
        if (node is null)
        {
            _log.Report(path, "the tool has no " + path + "; used an object without properties");
            return EmptyObject();
        }

        var schema = Convert(node, path, out _, out var any);
        if (schema is null)
        {
            _log.Report(path, any ? "the schema allows any value; used an object without properties" : "the schema allows only null; used an object without properties");
            return EmptyObject();
        }

        if ((string?)schema["type"] != "object")
        {
            _log.Report(path, $"\"type\": \"{(string?)schema["type"]}\" at the top level replaced by \"object\" (a tool's arguments are an object)");
            var description = schema["description"]?.DeepClone();
            schema = new JsonObject { ["type"] = "object" };
            if (description is not null)
            {
                schema["description"] = description;
            }
        }

        if (schema["properties"] is null)
        {
            _log.Report(path, "added \"properties\": {}");
            schema["properties"] = new JsonObject();
        }

        return schema;
    }

    private static JsonObject EmptyObject() => new() { ["type"] = "object", ["properties"] = new JsonObject() };

    /// <summary>Converts one schema; null when it cannot be expressed (<paramref name="any"/>: it allows any value; else only null).</summary>
    private JsonObject? Convert(JsonNode? node, string path, out bool optional, out bool any)
    {
        optional = false;
        any = false;
        if (node is not JsonObject source)
        {
            if (!(node is JsonValue flag && flag.GetValueKind() == JsonValueKind.True))
            {
                _log.Report(path, $"the schema {SchemaText.Brief(node)} is not an object; treated as any value");
            }

            any = true;
            return null;
        }

        var schema = (JsonObject)source.DeepClone();
        var depth = _references.Depth;
        try
        {
            return Flatten(schema, path, ref optional) ? Build(schema, path, ref optional, out any) : null;
        }
        finally
        {
            // The references this schema inlined may appear again beside it, where they are not recursive.
            _references.Unwind(depth);
        }
    }

    /// <summary>Inlines <c>$ref</c>, merges <c>allOf</c> and flattens unions until the schema describes one type.</summary>
    /// <returns>False when the schema allows only null.</returns>
    private bool Flatten(JsonObject schema, string path, ref bool optional)
    {
        for (var round = 0; round < MaxFlatteningRounds; round++)
        {
            if (_references.TryInline(schema, path) || _allOf.TryMerge(schema, path))
            {
                continue;
            }

            switch (_unions.Flatten(schema, path, ref optional))
            {
                case UnionFlattening.NoUnion:
                    return true;
                case UnionFlattening.OnlyNull:
                    return false;
            }
        }

        return true;
    }

    /// <summary>
    /// Converts one flattened schema object, step by step: <c>nullable</c>, <c>type</c>, the values only a description
    /// can state, the settled type, the description, the members of an object or array, and what is left over.
    /// </summary>
    private JsonObject? Build(JsonObject schema, string path, ref bool optional, out bool any)
    {
        any = false;
        _types.ReadNullable(schema, path, ref optional);
        if (!_types.TryReadType(schema, path, ref optional, out var declared))
        {
            return null;
        }

        var notes = _descriptions.MoveValuesIntoNotes(schema, path);
        if (_types.SettleType(schema, path, declared) is not { } type)
        {
            any = true;
            return null;
        }

        var result = new JsonObject { ["type"] = type };
        _descriptions.WriteDescription(schema, result, path, notes);
        BuildMembers(schema, result, path, type);
        _keywords.ReportRemovedKeywords(schema, path);
        return result;
    }

    /// <summary>An object's <c>properties</c> and <c>required</c>, an array's <c>items</c>; on other types they go.</summary>
    private void BuildMembers(JsonObject schema, JsonObject result, string path, string type)
    {
        if (type == "object")
        {
            var optional = BuildProperties(schema, result, path);
            BuildRequired(schema, result, path, optional);
        }
        else
        {
            foreach (var member in new[] { "properties", "required" })
            {
                if (schema.ContainsKey(member))
                {
                    _log.Report(path, $"removed \"{member}\" (the type is \"{type}\")");
                }
            }
        }

        if (type == "array")
        {
            BuildItems(schema, result, path);
        }
        else if (schema.ContainsKey("items"))
        {
            _log.Report(path, $"removed \"items\" (the type is \"{type}\")");
        }
    }

    /// <summary>Converts each property; a property that may hold any value becomes a string, one that can only be null goes.</summary>
    /// <returns>The names of the properties that accept null, which are therefore optional.</returns>
    private HashSet<string> BuildProperties(JsonObject schema, JsonObject result, string path)
    {
        var optional = new HashSet<string>(StringComparer.Ordinal);
        if (schema["properties"] is JsonObject properties)
        {
            var converted = new JsonObject();
            foreach (var (name, property) in properties)
            {
                var propertyPath = path + ".properties." + name;
                var schemaOfProperty = Convert(property, propertyPath, out var isOptional, out var any);
                if (schemaOfProperty is null && any)
                {
                    _log.Report(propertyPath, "the property may hold any value; AgentCore has no such type, so it is declared \"type\": \"string\"");
                    schemaOfProperty = new JsonObject { ["type"] = "string" };
                    if (property is JsonObject original && SchemaText.StringOf(original["description"]) is { } text)
                    {
                        schemaOfProperty["description"] = text;
                    }
                }

                if (schemaOfProperty is null)
                {
                    _log.Report(propertyPath, "removed the property (it can only be null)");
                    optional.Add(name);
                    continue;
                }

                if (isOptional)
                {
                    optional.Add(name);
                }

                converted[name] = schemaOfProperty;
            }

            result["properties"] = converted;
        }
        else if (schema.ContainsKey("properties"))
        {
            _log.Report(path, $"removed \"properties\": {SchemaText.Brief(schema["properties"])} (not an object)");
        }

        return optional;
    }

    /// <summary>Keeps the <c>required</c> names that are converted properties and do not accept null, each once.</summary>
    private void BuildRequired(JsonObject schema, JsonObject result, string path, HashSet<string> optional)
    {
        if (schema["required"] is JsonArray required)
        {
            var kept = new JsonArray();
            var declared = result["properties"] as JsonObject;
            foreach (var entry in required)
            {
                var name = SchemaText.StringOf(entry);
                if (name is null)
                {
                    _log.Report(path + ".required", $"removed {SchemaText.Brief(entry)} (not a property name)");
                }
                else if (optional.Contains(name))
                {
                    _log.Report(path + ".required", $"removed \"{name}\" (the property accepts null, so it is optional)");
                }
                else if (declared is null || !declared.ContainsKey(name))
                {
                    _log.Report(path + ".required", $"removed \"{name}\" (no such property)");
                }
                else if (!kept.Any(k => (string?)k == name))
                {
                    kept.Add((JsonNode)JsonValue.Create(name));
                }
            }

            result["required"] = kept;
        }
        else if (schema.ContainsKey("required"))
        {
            _log.Report(path, $"removed \"required\": {SchemaText.Brief(schema["required"])} (not an array)");
        }
    }

    /// <summary>An array's one item schema; any item, a tuple, or items that can only be null leave the items unchecked.</summary>
    private void BuildItems(JsonObject schema, JsonObject result, string path)
    {
        if (!schema.ContainsKey("items"))
        {
            return;
        }

        var items = schema["items"];
        if (items is JsonArray)
        {
            _log.Report(path + ".items", "removed a tuple \"items\" array (AgentCore describes one item schema); the items are left unchecked");
            return;
        }

        var converted = Convert(items, path + ".items", out var optional, out var any);
        if (converted is null)
        {
            _log.Report(path + ".items", any
                ? $"removed \"items\": {SchemaText.Brief(items)} (any item; AgentCore then leaves the items unchecked)"
                : "removed \"items\" (items can only be null); the items are left unchecked");
            return;
        }

        if (optional)
        {
            _log.Report(path + ".items", "items may no longer be null");
        }

        result["items"] = converted;
    }
}
