using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using McpLambda.Runtime.JsonRpc;
using McpLambda.Runtime.Protocol;
using ModelContextProtocol.Protocol;

namespace McpLambda.Runtime.Bridge;

/// <summary>
/// A tool argument that HTTP clients mirror into a header (SEP-2243): its property schema carries
/// <c>x-mcp-header: "{Name}"</c>, and a 2026-07-28 <c>tools/call</c> over HTTP sends the argument's value in
/// <c>Mcp-Param-{Name}</c> too, so that intermediaries can route on it without reading the body.
/// </summary>
/// <param name="Header">The header's name part: the argument travels in <c>Mcp-Param-{Header}</c>.</param>
/// <param name="Path">The chain of <c>properties</c> keys from the input schema's root to the argument.</param>
internal sealed record ToolHeaderParameter(string Header, IReadOnlyList<string> Path)
{
    /// <summary>
    /// The mirrored arguments of a tool's <paramref name="inputSchema"/>: annotations reached from the root through
    /// <c>properties</c> keys only, whose name is an HTTP token (the spec makes any other annotation invalid, and
    /// clients drop such a tool, so it has no header to check).
    /// </summary>
    public static IReadOnlyList<ToolHeaderParameter> Of(JsonNode? inputSchema)
    {
        var found = new List<ToolHeaderParameter>();
        Walk(inputSchema as JsonObject, []);
        return found;

        void Walk(JsonObject? schema, string[] path)
        {
            if (schema?["properties"] is not JsonObject properties)
            {
                return;
            }

            foreach (var (key, property) in properties)
            {
                if (property is not JsonObject annotated)
                {
                    continue;
                }

                string[] at = [.. path, key];
                if (annotated["x-mcp-header"] is JsonValue value && value.TryGetValue<string>(out var header) && HeaderValues.IsToken(header))
                {
                    found.Add(new ToolHeaderParameter(header, at));
                }

                Walk(annotated, at);
            }
        }
    }

    /// <summary>
    /// The <c>HeaderMismatch</c> error (HTTP 400) for a call whose <c>Mcp-Param-*</c> headers do not mirror its
    /// <paramref name="arguments"/>, or null when they do. An argument that is absent or null needs no header; one that
    /// is present needs its header, which must decode (see <see cref="HeaderValues.Decode"/>) to the argument's string
    /// form (a string as it is, an integer in decimal and compared as a number, <c>true</c> or <c>false</c>). Headers
    /// that mirror no argument of the tool are not the function's to judge.
    /// </summary>
    /// <param name="id">The request's id.</param>
    /// <param name="parameters">The tool's mirrored arguments.</param>
    /// <param name="arguments">The call's arguments.</param>
    /// <param name="headers">The request's <c>Mcp-Param-*</c> headers by name part (case-insensitive).</param>
    public static JsonRpcError? Mismatch(RequestId id, IEnumerable<ToolHeaderParameter> parameters, JsonObject? arguments, IReadOnlyDictionary<string, string> headers)
    {
        foreach (var parameter in parameters)
        {
            if (parameter.ValueIn(arguments) is not { } value)
            {
                continue;
            }

            var name = HeaderValues.ParameterHeaderPrefix + parameter.Header;
            var argument = "params.arguments." + string.Join('.', parameter.Path);
            if (!headers.TryGetValue(parameter.Header, out var header))
            {
                return ModernRequest.HeaderMismatch(id, $"Header mismatch: the {name} header is missing; the body has {argument}");
            }

            if (HeaderValues.Decode(header) is not { } decoded)
            {
                return ModernRequest.HeaderMismatch(id, $"Header mismatch: {name} header value '{header}' holds characters a header value may not, or Base64 that does not decode");
            }

            if (!Mirrors(value, decoded))
            {
                return ModernRequest.HeaderMismatch(id, $"Header mismatch: {name} header value '{header}' does not match body value {value.ToJsonString()} of {argument}");
            }
        }

        return null;
    }

    /// <summary>The argument in <paramref name="arguments"/>, or null when it is absent or null.</summary>
    private JsonNode? ValueIn(JsonObject? arguments)
    {
        JsonNode? node = arguments;
        foreach (var key in Path)
        {
            node = node is JsonObject parent ? parent[key] : null;
        }

        return node;
    }

    /// <summary>Whether <paramref name="header"/> is the string form of <paramref name="value"/>; never for a value no header can mirror (an object, an array).</summary>
    private static bool Mirrors(JsonNode value, string header) => value.GetValueKind() switch
    {
        JsonValueKind.String => value.GetValue<string>() == header,
        JsonValueKind.True => header == "true",
        JsonValueKind.False => header == "false",
        JsonValueKind.Number => decimal.TryParse(value.ToJsonString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var number)
            && decimal.TryParse(header, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var mirrored)
            && number == mirrored,
        _ => false,
    };

}
