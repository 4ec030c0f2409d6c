using System.Text.Json.Nodes;
using McpLambda.Runtime.Http;
using McpLambda.Runtime.JsonRpc;
using McpLambda.Runtime.Protocol;
using ModelContextProtocol.Protocol;

namespace McpLambda.Runtime.StreamableHttp;

/// <summary>
/// MCP 2026-07-28's request metadata headers: <c>MCP-Protocol-Version</c>, <c>Mcp-Method</c> and <c>Mcp-Name</c> mirror
/// the body so that intermediaries can route on them, and a server that reads the body refuses a request whose headers
/// are missing or say otherwise (400, <c>HeaderMismatch</c> -32020).
/// </summary>
internal static class ModernHeaders
{
    /// <summary>
    /// The <c>HeaderMismatch</c> error for a request whose <c>MCP-Protocol-Version</c> header and <c>_meta</c> name
    /// different versions, or null when they agree or either is absent. Judged before either version's support: a
    /// request that contradicts itself is refused for that, whichever of its versions this function speaks.
    /// </summary>
    /// <param name="headers">The HTTP request's headers.</param>
    /// <param name="request">The request, admitted or not.</param>
    public static JsonRpcError? VersionMismatch(HttpHeaderCollection headers, JsonRpcRequest request)
        => headers["MCP-Protocol-Version"]?.Trim() is { } header && ModernRequest.VersionOf(request) is { } body && header != body
            ? Error(request.Id, $"Header mismatch: MCP-Protocol-Version header value '{header}' does not match body value '{body}'")
            : null;

    /// <summary>
    /// The <c>HeaderMismatch</c> error for <paramref name="request"/>, or null when its headers match its body. A
    /// version header that names another version was refused before (<see cref="VersionMismatch"/>); here it must be present.
    /// </summary>
    /// <param name="headers">The HTTP request's headers.</param>
    /// <param name="request">The admitted modern request (see <see cref="ModernRequest.Admit"/>).</param>
    /// <param name="modern">Its per-request fields.</param>
    public static JsonRpcError? Mismatch(HttpHeaderCollection headers, JsonRpcRequest request, ModernRequest modern)
    {
        if (headers["MCP-Protocol-Version"] is null)
        {
            return Error(request.Id, $"Header mismatch: the MCP-Protocol-Version header is missing; the body's _meta names {modern.Version}");
        }

        var method = headers["Mcp-Method"];
        if (method != request.Method)
        {
            return Error(request.Id, method is null
                ? "Header mismatch: the Mcp-Method header is missing"
                : $"Header mismatch: Mcp-Method header value '{method}' does not match body value '{request.Method}'");
        }

        if (NameField(request.Method) is not { } field)
        {
            return null;
        }

        var bodyName = (request.Params as JsonObject)?[field] is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;
        var header = headers["Mcp-Name"];
        if (header is null)
        {
            return Error(request.Id, $"Header mismatch: the Mcp-Name header is missing; '{request.Method}' must name its params.{field} in it");
        }

        var name = HeaderValues.Decode(header);
        return name is not null && name == bodyName ? null
            : Error(request.Id, $"Header mismatch: Mcp-Name header value '{header}' does not match body value '{bodyName}'");
    }

    /// <summary>The params field <c>Mcp-Name</c> mirrors for <paramref name="method"/>, or null for a method without one.</summary>
    private static string? NameField(string method) => method switch
    {
        RequestMethods.ToolsCall or RequestMethods.PromptsGet => "name",
        RequestMethods.ResourcesRead => "uri",
        _ => null,
    };

    /// <summary>
    /// The request's <c>Mcp-Param-{Name}</c> headers by name part (case-insensitive, as header names are), raw: which of
    /// them mirror a tool argument, and how, only the tool's input schema says (see <c>ToolHeaderParameter</c>).
    /// </summary>
    public static IReadOnlyDictionary<string, string> Params(HttpHeaderCollection headers)
    {
        var found = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (name, _) in headers)
        {
            if (HeaderValues.IsParameterHeader(name))
            {
                found[name[HeaderValues.ParameterHeaderPrefix.Length..]] = headers[name]!;
            }
        }

        return found;
    }

    private static JsonRpcError Error(RequestId id, string message) => ModernRequest.HeaderMismatch(id, message);
}
