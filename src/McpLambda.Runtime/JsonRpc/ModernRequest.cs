using System.Text.Json.Nodes;
using McpLambda.Runtime.Protocol;
using ModelContextProtocol.Protocol;

namespace McpLambda.Runtime.JsonRpc;

/// <summary>
/// What a modern (MCP 2026-07-28) request says about itself in its <c>_meta</c>: its protocol version, the client's
/// capabilities for it, and the log level it wants. Read once where the request comes in
/// (<see cref="Admit"/>) and carried in the request's context, which is never serialized, to the layers below.
/// </summary>
/// <param name="Version">The request's protocol version.</param>
/// <param name="ClientCapabilities">The client's capabilities relevant to this request.</param>
/// <param name="LogLevel">The least severe level of log message the client wants for this request; null for none.</param>
/// <param name="ParamHeaders">
/// The <c>Mcp-Param-{Name}</c> headers of the HTTP request that carried it, by name part (case-insensitive); null when it
/// came another way (Lambda Invoke), which has no headers to check against its arguments.
/// </param>
internal sealed record ModernRequest(string Version, JsonObject ClientCapabilities, string? LogLevel, IReadOnlyDictionary<string, string>? ParamHeaders = null)
{
    private const string ContextKey = "McpLambda.ModernRequest";

    /// <summary>The request's fields that are not the method's own: the retry of a multi round-trip request.</summary>
    public static readonly string[] RetryFields = ["inputResponses", "requestState"];

    /// <summary>The log levels from least to most severe (RFC 5424, as MCP names them).</summary>
    private static readonly string[] Levels = ["debug", "info", "notice", "warning", "error", "critical", "alert", "emergency"];

    /// <summary>Whether <paramref name="message"/> declares itself modern: its params' <c>_meta</c> names a protocol version.</summary>
    public static bool Declares(JsonRpcMessage message)
        => message is JsonRpcRequest { Params: JsonObject parameters } && parameters["_meta"] is JsonObject meta && meta.ContainsKey(McpMetaKeys.ProtocolVersion);

    /// <summary>The modern fields of <paramref name="request"/> once admitted; null for a legacy request.</summary>
    public static ModernRequest? Of(JsonRpcMessage request)
        => request.Context?.Items is { } items && items.TryGetValue(ContextKey, out var value) ? value as ModernRequest : null;

    /// <summary>
    /// Reads and checks the per-request fields of a modern request and attaches them to it: a missing required field is
    /// <c>Invalid params</c> (-32602), a version this function does not speak is <c>UnsupportedProtocolVersion</c>
    /// (-32022) listing those it does; both are refused with HTTP 400.
    /// </summary>
    /// <param name="request">The request.</param>
    /// <param name="paramHeaders">The <c>Mcp-Param-*</c> headers of the HTTP request that carried it; null for another way in.</param>
    /// <returns>The error that refuses the request, or null when it was admitted (or was admitted before).</returns>
    public static JsonRpcError? Admit(JsonRpcRequest request, IReadOnlyDictionary<string, string>? paramHeaders = null)
    {
        if (Of(request) is not null)
        {
            return null;
        }

        var meta = MetaOf(request);
        var version = VersionOf(request);
        var capabilities = meta?[McpMetaKeys.ClientCapabilities] as JsonObject;
        var missing = new[] { (version is null, McpMetaKeys.ProtocolVersion), (capabilities is null, McpMetaKeys.ClientCapabilities) }
            .Where(m => m.Item1).Select(m => m.Item2).ToList();
        if (missing.Count > 0)
        {
            return JsonRpcMessages.Error(request.Id, JsonRpcErrorCodes.InvalidParams,
                $"Invalid params: a {McpProtocolVersions.Modern} request must carry {string.Join(" and ", missing)} in params._meta.").WithHttpStatus(400);
        }

        if (Unsupported(request.Id, version!) is { } unsupported)
        {
            return unsupported;
        }

        var level = meta![McpMetaKeys.LogLevel] is JsonValue l && l.TryGetValue<string>(out var named) ? named : null;
        if (level is not null && Array.IndexOf(Levels, level) < 0)
        {
            return JsonRpcMessages.Error(request.Id, JsonRpcErrorCodes.InvalidParams,
                $"Invalid params: {McpMetaKeys.LogLevel} must be one of {string.Join(", ", Levels)}, not '{level}'.").WithHttpStatus(400);
        }

        request.Context ??= new JsonRpcMessageContext();
        (request.Context.Items ??= new Dictionary<string, object?>())[ContextKey] = new ModernRequest(version!, capabilities!, level, paramHeaders);
        return null;
    }

    /// <summary>The protocol version <paramref name="request"/>'s <c>_meta</c> names, or null when it names none.</summary>
    public static string? VersionOf(JsonRpcRequest request)
        => MetaOf(request)?[McpMetaKeys.ProtocolVersion] is JsonValue v && v.TryGetValue<string>(out var text) ? text : null;

    private static JsonObject? MetaOf(JsonRpcRequest request) => (request.Params as JsonObject)?["_meta"] as JsonObject;

    /// <summary>The <c>UnsupportedProtocolVersion</c> error (HTTP 400) for a request naming <paramref name="version"/>, or null when it is a modern version this function speaks.</summary>
    public static JsonRpcError? Unsupported(RequestId id, string version)
        => McpProtocolVersions.Supported.Contains(version) && McpProtocolVersions.IsModern(version)
            ? null
            : JsonRpcMessages.Error(id, JsonRpcErrorCodes.UnsupportedProtocolVersion,
                $"Unsupported protocol version '{version}'; supported: {string.Join(", ", McpProtocolVersions.NewestFirst)}.", new JsonObject
            {
                ["supported"] = new JsonArray([.. McpProtocolVersions.NewestFirst.Select(s => (JsonNode)JsonValue.Create(s))]),
                ["requested"] = version,
            }).WithHttpStatus(400);

    /// <summary>The <c>HeaderMismatch</c> error (-32020, HTTP 400): an HTTP header that a modern request mirrors its body in says otherwise, is missing, or is malformed.</summary>
    public static JsonRpcError HeaderMismatch(RequestId id, string message)
        => JsonRpcMessages.Error(id, JsonRpcErrorCodes.HeaderMismatch, message + ".").WithHttpStatus(400);

    /// <summary>
    /// Whether the client declared the capability to answer a server's <paramref name="method"/> request
    /// (<c>elicitation/create</c>, <c>sampling/createMessage</c>, <c>roots/list</c>) for this request.
    /// </summary>
    public bool Allows(string method) => CapabilityFor(method) is { } capability && ClientCapabilities.ContainsKey(capability);

    /// <summary>
    /// The client capability that answers a server's <paramref name="method"/> request (<c>elicitation</c>,
    /// <c>sampling</c>, <c>roots</c>), or null for a method no client capability answers.
    /// </summary>
    public static string? CapabilityFor(string method) => method switch
    {
        RequestMethods.ElicitationCreate => "elicitation",
        "sampling/createMessage" => "sampling",
        "roots/list" => "roots",
        _ => null,
    };

    /// <summary>Whether a log message of <paramref name="level"/> goes to this request's client: only when it asked for a level, and at or above it.</summary>
    public bool WantsLog(string? level)
        => LogLevel is not null && Array.IndexOf(Levels, level) is var at and >= 0 && at >= Array.IndexOf(Levels, LogLevel);
}
