using System.Text.Json.Nodes;

namespace McpLambda.Runtime.AgentCore;

/// <summary>
/// Inlines local <c>$ref</c>s (<c>#/$defs/…</c>, <c>#/definitions/…</c>, any JSON pointer into the tool's schema).
/// It remembers the references being expanded, so a recursive one is cut to its type instead of growing forever.
/// </summary>
internal sealed class SchemaReferenceInliner(JsonObject? root, SchemaChangeLog log)
{
    private readonly List<string> _expanding = [];

    /// <summary>How many references are being expanded; give it to <see cref="Unwind"/> when the schema that inlined them is done.</summary>
    public int Depth => _expanding.Count;

    /// <summary>Forgets the references inlined since <see cref="Depth"/> was <paramref name="depth"/>: they are no longer being expanded.</summary>
    public void Unwind(int depth) => _expanding.RemoveRange(depth, _expanding.Count - depth);

    /// <summary>Replaces the schema's <c>$ref</c>, if any, by what it points to.</summary>
    /// <returns>Whether the schema had a <c>$ref</c>.</returns>
    public bool TryInline(JsonObject schema, string path)
    {
        if (schema["$ref"] is not { } reference)
        {
            return false;
        }

        schema.Remove("$ref");
        var target = SchemaText.StringOf(reference);
        if (target is not null && _expanding.Contains(target))
        {
            var type = SchemaText.StringOf(Resolve(target)?["type"]) ?? "object";
            log.Report(path, $"recursive \"$ref\": \"{target}\" cut to \"type\": \"{type}\" without members");
            schema["type"] = type;
            foreach (var member in new[] { "properties", "items", "required" })
            {
                schema.Remove(member);
            }

            return true;
        }

        if (target is null || Resolve(target) is not JsonObject resolved)
        {
            log.Report(path, $"removed \"$ref\": {SchemaText.Brief(reference)} (only local references can be inlined)");
            return true;
        }

        _expanding.Add(target);
        SchemaMerge.Into(schema, resolved);
        log.Report(path, $"inlined \"$ref\": \"{target}\"");
        return true;
    }

    /// <summary>The node a local reference (a JSON pointer after <c>#</c>) names in the tool's schema, or null.</summary>
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
}
