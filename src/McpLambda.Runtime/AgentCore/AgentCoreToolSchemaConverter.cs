using System.Text;
using System.Text.Json;
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
public static class AgentCoreToolSchemaConverter
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

        if (StringOf(tool["name"]) is not { Length: > 0 } name)
        {
            throw new InvalidDataException($"tools[{index}] has no name.");
        }

        var result = new JsonObject { ["name"] = name };
        if (StringOf(tool["description"]) is { Length: > 0 } description)
        {
            result["description"] = description;
        }
        else
        {
            var title = StringOf(tool["title"]) ?? StringOf(tool["annotations"]?["title"]);
            result["description"] = title is { Length: > 0 } ? title : name;
            changes.Add(new(name, "description", title is { Length: > 0 }
                ? "the tool has no description; used its title"
                : "the tool has no description; used its name"));
        }

        result["inputSchema"] = new Walker(name, changes, tool["inputSchema"] as JsonObject).TopLevel(tool["inputSchema"], "inputSchema");
        if (tool["outputSchema"] is { } output)
        {
            result["outputSchema"] = new Walker(name, changes, output as JsonObject).TopLevel(output, "outputSchema");
        }

        return result;
    }

    /// <summary>Values quoted in descriptions and reports are for people: no escaping beyond what JSON needs.</summary>
    private static readonly JsonWriterOptions ReadableJson = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private static string? StringOf(JsonNode? node)
        => node is JsonValue value && value.GetValueKind() == JsonValueKind.String ? value.GetValue<string>() : null;

    private static string Json(JsonNode? node)
    {
        if (node is null)
        {
            return "null";
        }

        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, ReadableJson))
        {
            node.WriteTo(writer);
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    private static string Shorten(string json) => json.Length <= 60 ? json : json[..57] + "...";

    private sealed class Walker(string tool, List<AgentCoreSchemaChange> changes, JsonObject? root)
    {
        private readonly List<string> _expanding = [];

        public JsonObject TopLevel(JsonNode? node, string path)
        {
            if (node is null)
            {
                Report(path, "the tool has no " + path + "; used an object without properties");
                return new JsonObject { ["type"] = "object", ["properties"] = new JsonObject() };
            }

            var schema = Convert(node, path, out _, out var any);
            if (schema is null)
            {
                Report(path, any ? "the schema allows any value; used an object without properties" : "the schema allows only null; used an object without properties");
                return new JsonObject { ["type"] = "object", ["properties"] = new JsonObject() };
            }

            if ((string?)schema["type"] != "object")
            {
                Report(path, $"\"type\": \"{(string?)schema["type"]}\" at the top level replaced by \"object\" (a tool's arguments are an object)");
                var description = schema["description"]?.DeepClone();
                schema = new JsonObject { ["type"] = "object" };
                if (description is not null)
                {
                    schema["description"] = description;
                }
            }

            if (schema["properties"] is null)
            {
                Report(path, "added \"properties\": {}");
                schema["properties"] = new JsonObject();
            }

            return schema;
        }

        /// <summary>Converts one schema; null when it cannot be expressed (<paramref name="any"/>: it allows any value; else only null).</summary>
        private JsonObject? Convert(JsonNode? node, string path, out bool optional, out bool any)
        {
            optional = false;
            any = false;
            if (node is not JsonObject source)
            {
                if (!(node is JsonValue flag && flag.GetValueKind() == JsonValueKind.True))
                {
                    Report(path, $"the schema {Shorten(Json(node))} is not an object; treated as any value");
                }

                any = true;
                return null;
            }

            var schema = (JsonObject)source.DeepClone();
            var pushed = 0;
            try
            {
                // Flatten $ref, allOf and nullable unions until the schema describes one type.
                for (var round = 0; round < 32; round++)
                {
                    if (schema["$ref"] is { } reference)
                    {
                        schema.Remove("$ref");
                        var target = StringOf(reference);
                        if (target is not null && _expanding.Contains(target))
                        {
                            var type = Resolve(target)?["type"] is JsonValue t && t.GetValueKind() == JsonValueKind.String ? t.GetValue<string>() : "object";
                            Report(path, $"recursive \"$ref\": \"{target}\" cut to \"type\": \"{type}\" without members");
                            schema["type"] = type;
                            foreach (var member in new[] { "properties", "items", "required" })
                            {
                                schema.Remove(member);
                            }

                            continue;
                        }

                        if (target is null || Resolve(target) is not JsonObject resolved)
                        {
                            Report(path, $"removed \"$ref\": {Shorten(Json(reference))} (only local references can be inlined)");
                            continue;
                        }

                        _expanding.Add(target);
                        pushed++;
                        Merge(schema, resolved);
                        Report(path, $"inlined \"$ref\": \"{target}\"");
                        continue;
                    }

                    if (schema["allOf"] is { } allOf)
                    {
                        schema.Remove("allOf");
                        if (allOf is JsonArray members)
                        {
                            foreach (var member in members)
                            {
                                if (member is JsonObject memberSchema)
                                {
                                    Merge(schema, memberSchema);
                                }
                            }
                        }

                        Report(path, "merged the members of \"allOf\"");
                        continue;
                    }

                    var unionKeyword = schema.ContainsKey("anyOf") ? "anyOf" : schema.ContainsKey("oneOf") ? "oneOf" : null;
                    if (unionKeyword is not null)
                    {
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
                                Report(path, $"\"{unionKeyword}\" allows only null; removed");
                                return null;
                            }

                            Report(path, $"removed an empty \"{unionKeyword}\"");
                            continue;
                        }

                        var chosen = nonNull[0];
                        var described = Describe(chosen);
                        var names = string.Join(", ", alternatives.Select(Describe));
                        if (chosen is JsonObject chosenSchema)
                        {
                            Merge(schema, chosenSchema);
                        }

                        Report(path, nonNull.Count == 1
                            ? $"\"{unionKeyword}\" [{names}] replaced by its non-null member ({described})" + (hadNull ? "; the property is optional" : "")
                            : $"\"{unionKeyword}\" [{names}] reduced to its first non-null member ({described}); AgentCore has no unions" + (hadNull ? "; the property is optional" : ""));
                        continue;
                    }

                    break;
                }

                return Build(schema, path, ref optional, out any);
            }
            finally
            {
                _expanding.RemoveRange(_expanding.Count - pushed, pushed);
            }
        }

        /// <summary>
        /// Converts one schema object, step by step: <c>nullable</c>, <c>type</c>, the values only a description can
        /// state, the settled type, the description, the members of an object or array, and what is left over.
        /// </summary>
        private JsonObject? Build(JsonObject schema, string path, ref bool optional, out bool any)
        {
            any = false;
            ReadNullable(schema, path, ref optional);
            if (!TryReadType(schema, path, ref optional, out var declared))
            {
                return null;
            }

            var notes = MoveValuesIntoNotes(schema, path);
            if (SettleType(schema, path, declared) is not { } type)
            {
                any = true;
                return null;
            }

            var result = new JsonObject { ["type"] = type };
            WriteDescription(schema, result, path, notes);
            BuildMembers(schema, result, path, type);
            ReportRemovedKeywords(schema, path);
            return result;
        }

        /// <summary>OpenAPI's <c>nullable</c>: <c>true</c> makes the property optional; either way it goes.</summary>
        private void ReadNullable(JsonObject schema, string path, ref bool optional)
        {
            if (schema["nullable"] is not JsonValue nullable)
            {
                return;
            }

            schema.Remove("nullable");
            if (nullable.GetValueKind() == JsonValueKind.True)
            {
                optional = true;
                Report(path, "removed \"nullable\": true; the property is optional");
            }
            else
            {
                Report(path, $"removed \"nullable\": {Json(nullable)}");
            }
        }

        /// <summary>
        /// The declared <c>type</c>: a string, an array of strings (with <c>"null"</c>, which makes the property optional),
        /// or absent (null). False when the schema allows only null, and is removed.
        /// </summary>
        private bool TryReadType(JsonObject schema, string path, ref bool optional, out string? type)
        {
            type = null;
            if (schema["type"] is JsonArray types)
            {
                var names = types.Select(StringOf).Where(n => n is not null).Cast<string>().ToList();
                var nonNull = names.Where(n => n != "null").ToList();
                if (nonNull.Count < names.Count)
                {
                    optional = true;
                }

                if (nonNull.Count == 0)
                {
                    Report(path, $"\"type\": {Json(types)} allows only null; removed");
                    return false;
                }

                type = nonNull[0];
                Report(path, nonNull.Count == 1
                    ? $"\"type\": {Json(types)} replaced by \"{type}\"" + (optional ? "; the property is optional" : "")
                    : $"\"type\": {Json(types)} reduced to its first non-null type \"{type}\"; AgentCore has no unions" + (nonNull.Count < names.Count ? "; the property is optional" : ""));
            }
            else if (StringOf(schema["type"]) is { } single)
            {
                type = single;
                if (type == "null")
                {
                    Report(path, "\"type\": \"null\" allows only null; removed");
                    return false;
                }
            }
            else if (schema["type"] is { } odd)
            {
                Report(path, $"removed \"type\": {Shorten(Json(odd))} (not a type name)");
            }

            return true;
        }

        /// <summary>Values that AgentCore cannot state (<c>default</c>, <c>enum</c>, <c>const</c>) become sentences for the description.</summary>
        private List<string> MoveValuesIntoNotes(JsonObject schema, string path)
        {
            var notes = new List<string>();
            if (schema.ContainsKey("default"))
            {
                var value = schema["default"];
                if (value is null)
                {
                    Report(path, "removed \"default\": null");
                }
                else
                {
                    notes.Add($"Default: {Json(value)}.");
                    Report(path, $"moved \"default\": {Shorten(Json(value))} into the description");
                }
            }

            if (schema["enum"] is JsonArray values)
            {
                notes.Add("Allowed values: " + string.Join(", ", values.Select(Json)) + ".");
                Report(path, $"moved \"enum\" {Shorten(Json(values))} into the description");
            }
            else if (schema.ContainsKey("enum"))
            {
                Report(path, $"removed \"enum\": {Shorten(Json(schema["enum"]))} (not an array)");
            }

            if (schema.ContainsKey("const"))
            {
                notes.Add($"Must be {Json(schema["const"])}.");
                Report(path, $"moved \"const\": {Shorten(Json(schema["const"]))} into the description");
            }

            return notes;
        }

        /// <summary>The type AgentCore gets: the declared one if supported, else <c>string</c>; inferred when absent; null for "any value".</summary>
        private string? SettleType(JsonObject schema, string path, string? declared)
        {
            if (declared is null)
            {
                var inferred = Infer(schema);
                if (inferred is not null)
                {
                    Report(path, $"added \"type\": \"{inferred}\" (inferred)");
                }

                return inferred;
            }

            if (!SupportedTypes.Contains(declared))
            {
                Report(path, $"\"type\": \"{declared}\" is not supported; replaced by \"string\"");
                return "string";
            }

            return declared;
        }

        /// <summary>The schema's description (when it is a string) followed by <paramref name="notes"/>.</summary>
        private void WriteDescription(JsonObject schema, JsonObject result, string path, List<string> notes)
        {
            var description = StringOf(schema["description"]);
            if (schema["description"] is { } badDescription && description is null)
            {
                Report(path, $"removed \"description\": {Shorten(Json(badDescription))} (not a string)");
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

        /// <summary>An object's <c>properties</c> and <c>required</c>, an array's <c>items</c>; on other types they go.</summary>
        private void BuildMembers(JsonObject schema, JsonObject result, string path, string type)
        {
            if (type == "object")
            {
                BuildObject(schema, result, path);
            }
            else
            {
                foreach (var member in new[] { "properties", "required" })
                {
                    if (schema.ContainsKey(member))
                    {
                        Report(path, $"removed \"{member}\" (the type is \"{type}\")");
                    }
                }
            }

            if (type == "array")
            {
                BuildItems(schema, result, path);
            }
            else if (schema.ContainsKey("items"))
            {
                Report(path, $"removed \"items\" (the type is \"{type}\")");
            }
        }

        /// <summary>Every keyword outside AgentCore's <c>SchemaDefinition</c> that no earlier step took over.</summary>
        private void ReportRemovedKeywords(JsonObject schema, string path)
        {
            foreach (var (keyword, value) in schema)
            {
                // default, enum and const were carried into the description.
                if (SupportedKeywords.Contains(keyword) || keyword is "default" or "enum" or "const")
                {
                    continue;
                }

                Report(path, keyword is "$defs" or "definitions"
                    ? $"removed \"{keyword}\" (references to it are inlined)"
                    : value is JsonValue
                        ? $"removed \"{keyword}\": {Shorten(Json(value))}"
                        : $"removed \"{keyword}\"");
            }
        }

        private void BuildObject(JsonObject schema, JsonObject result, string path)
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
                        Report(propertyPath, "the property may hold any value; AgentCore has no such type, so it is declared \"type\": \"string\"");
                        schemaOfProperty = new JsonObject { ["type"] = "string" };
                        if (property is JsonObject original && StringOf(original["description"]) is { } text)
                        {
                            schemaOfProperty["description"] = text;
                        }
                    }

                    if (schemaOfProperty is null)
                    {
                        Report(propertyPath, "removed the property (it can only be null)");
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
                Report(path, $"removed \"properties\": {Shorten(Json(schema["properties"]))} (not an object)");
            }

            if (schema["required"] is JsonArray required)
            {
                var kept = new JsonArray();
                var declared = result["properties"] as JsonObject;
                foreach (var entry in required)
                {
                    var name = StringOf(entry);
                    if (name is null)
                    {
                        Report(path + ".required", $"removed {Shorten(Json(entry))} (not a property name)");
                    }
                    else if (optional.Contains(name))
                    {
                        Report(path + ".required", $"removed \"{name}\" (the property accepts null, so it is optional)");
                    }
                    else if (declared is null || !declared.ContainsKey(name))
                    {
                        Report(path + ".required", $"removed \"{name}\" (no such property)");
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
                Report(path, $"removed \"required\": {Shorten(Json(schema["required"]))} (not an array)");
            }
        }

        private void BuildItems(JsonObject schema, JsonObject result, string path)
        {
            if (!schema.ContainsKey("items"))
            {
                return;
            }

            var items = schema["items"];
            if (items is JsonArray)
            {
                Report(path + ".items", "removed a tuple \"items\" array (AgentCore describes one item schema); the items are left unchecked");
                return;
            }

            var converted = Convert(items, path + ".items", out var optional, out var any);
            if (converted is null)
            {
                Report(path + ".items", any
                    ? $"removed \"items\": {Shorten(Json(items))} (any item; AgentCore then leaves the items unchecked)"
                    : "removed \"items\" (items can only be null); the items are left unchecked");
                return;
            }

            if (optional)
            {
                Report(path + ".items", "items may no longer be null");
            }

            result["items"] = converted;
        }

        private JsonNode? Resolve(string reference)
        {
            if (root is null || !reference.StartsWith('#'))
            {
                return null;
            }

            JsonNode? node = root;
            foreach (var segment in reference[1..].Split('/', StringSplitOptions.RemoveEmptyEntries))
            {
                var key = Uri.UnescapeDataString(segment).Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal);
                node = node switch
                {
                    JsonObject obj => obj[key],
                    JsonArray array when int.TryParse(key, out var i) && i >= 0 && i < array.Count => array[i],
                    _ => null,
                };
                if (node is null)
                {
                    return null;
                }
            }

            return node;
        }

        /// <summary>Copies <paramref name="from"/> into <paramref name="into"/>; keywords already in <paramref name="into"/> win, properties and required are united.</summary>
        private static void Merge(JsonObject into, JsonObject from)
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
                        if (!intoRequired.Any(n => Json(n) == Json(name)))
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

        private static bool IsNullSchema(JsonNode? node)
            => node is JsonObject schema && (StringOf(schema["type"]) == "null"
               || (schema["type"] is JsonArray types && types.Count > 0 && types.All(t => StringOf(t) == "null"))
               || (schema.ContainsKey("const") && schema["const"] is null));

        private static string Describe(JsonNode? node) => node switch
        {
            JsonObject schema when StringOf(schema["type"]) is { } type => type,
            JsonObject schema when StringOf(schema["$ref"]) is { } reference => reference,
            JsonObject schema when schema["type"] is JsonArray types => Json(types),
            JsonObject => "{…}",
            _ => Shorten(Json(node)),
        };

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

        private void Report(string path, string change) => changes.Add(new AgentCoreSchemaChange(tool, path, change));
    }
}
