using System.Text;
using System.Text.Json;
using McpLambda.Runtime.Http;
using McpLambda.Runtime.Invocations;
using McpLambda.Runtime.JsonRpc;
using McpLambda.Runtime.Observability;
using McpLambda.Runtime.Protocol;

namespace McpLambda.Runtime.Authorization;

/// <summary>
/// The function as an OAuth 2.1 resource server, in front of the Streamable HTTP rules: serves its protected resource
/// metadata, and lets a request through only with a valid bearer token in its <c>Authorization</c> header (never the
/// query string). Refusals carry the <c>WWW-Authenticate</c> challenge clients start from: 401 for a missing or
/// invalid token, 403 for missing scopes, each naming the metadata and every required scope. The token never goes
/// further: the wrapped server sees only the request.
/// </summary>
internal sealed class ResourceServer
{
    private readonly OAuthSettings _settings;
    private readonly AccessTokenValidator _validator;
    private readonly RegistrationFacade? _facade;

    /// <summary>The resource server that accepts <paramref name="settings"/>' tokens, its facade's flows timed by <paramref name="time"/>.</summary>
    public ResourceServer(OAuthSettings settings, IssuerSigningKeys keys, TimeProvider? time = null)
    {
        _settings = settings;
        Keys = keys;
        _validator = new AccessTokenValidator(settings, keys);
        _facade = settings.Facade is { } facade ? new RegistrationFacade(settings, facade, keys.Metadata, time ?? TimeProvider.System) : null;
    }

    /// <summary>The issuer's keys, fetched during init and kept while the environment lives.</summary>
    public IssuerSigningKeys Keys { get; }

    /// <summary>The resource server for <paramref name="settings"/>, its keys fetched over a client of its own.</summary>
    public static ResourceServer Create(OAuthSettings settings)
        => new(settings, new IssuerSigningKeys(settings, new HttpClient { Timeout = TimeSpan.FromSeconds(5) }, TimeProvider.System));

    /// <summary>
    /// The answer that takes the place of MCP's for <paramref name="request"/> (its metadata, the registration facade's,
    /// or a refusal; the caller adds CORS), or null when the request carries a valid token and may go on: then
    /// <paramref name="invocation"/>, when given, knows the caller it speaks for.
    /// </summary>
    public async Task<BufferedHttpResponse?> GuardAsync(BufferedHttpRequest request, InvocationContext? invocation = null)
    {
        var resource = ProtectedResource.Of(request, _settings.Resource);
        if (ProtectedResource.IsMetadataPath(request.Path))
        {
            return request.Method is "GET" or "HEAD"
                ? OAuthAnswers.Json(200, Metadata(request, resource))
                : OAuthAnswers.Json(405, JsonRpcMessages.ToUtf8(JsonRpcMessages.Error(default, JsonRpcErrorCodes.InvalidRequest, "The resource metadata is read with GET.")));
        }

        if (_facade is not null && await _facade.AnswerAsync(request).ConfigureAwait(false) is { } facadeAnswer)
        {
            return facadeAnswer;
        }

        if (BearerToken(request.Headers["Authorization"]) is not { } token)
        {
            var sent = request.Headers["Authorization"] is not null;
            return Refuse(resource, 401, sent ? "invalid_token" : null,
                sent ? "the Authorization header is not a bearer token" : "this MCP endpoint needs an OAuth access token (Authorization: Bearer)");
        }

        TokenCheck check;
        try
        {
            check = await _validator.CheckAsync(token, resource.Resource).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is HttpRequestException or InvalidOperationException or TaskCanceledException or JsonException or ArgumentException)
        {
            Log.Error("OAuth: the issuer's signing keys are unavailable: " + ex.Message);
            return OAuthAnswers.Json(503, JsonRpcMessages.ToUtf8(JsonRpcMessages.Error(default, JsonRpcErrorCodes.InternalError,
                "The access token cannot be checked now: the authorization server's keys are unavailable. Try again later.")));
        }

        switch (check)
        {
            case TokenCheck.Valid { Caller: var caller }:
                Log.Info("OAuth: caller " + caller);
                invocation?.Authenticated(caller);
                return null;
            case TokenCheck.InsufficientScope { Caller: var caller, Missing: var missing }:
                Log.Info($"OAuth: caller {caller} refused: missing scope {string.Join(' ', missing)}");
                return Refuse(resource, 403, "insufficient_scope", $"the token lacks the scope {string.Join(' ', missing)}");
            default:
                var reason = ((TokenCheck.Invalid)check).Reason;
                Log.Info("OAuth: token refused: " + reason);
                return Refuse(resource, 401, "invalid_token", reason);
        }
    }

    /// <summary>The token of an <c>Authorization: Bearer</c> header (RFC 6750 §2.1), or null.</summary>
    internal static string? BearerToken(string? authorization)
    {
        if (authorization is null || !authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        var token = authorization[7..].Trim();
        return token.Length > 0 && !token.Contains(' ') ? token : null;
    }

    /// <summary>The <c>WWW-Authenticate</c> value: the metadata, every required scope, and the error when there is one.</summary>
    internal string Challenge(ProtectedResource resource, string? error, string description)
    {
        var challenge = new StringBuilder("Bearer ").Append("resource_metadata=\"").Append(resource.MetadataUrl).Append('"');
        if (_settings.Scopes.Count > 0)
        {
            challenge.Append(", scope=\"").Append(string.Join(' ', _settings.Scopes)).Append('"');
        }

        if (error is not null)
        {
            challenge.Append(", error=\"").Append(error).Append("\", error_description=\"").Append(Quoted(description)).Append('"');
        }

        return challenge.ToString();
    }

    private BufferedHttpResponse Refuse(ProtectedResource resource, int status, string? error, string description)
    {
        var message = status == 403 ? "Forbidden: " + description + "." : "Unauthorized: " + description + ".";
        var body = JsonRpcMessages.ToUtf8(JsonRpcMessages.Error(default, JsonRpcErrorCodes.InvalidRequest, message));
        var response = OAuthAnswers.Json(status, body);
        response.Headers.Set("WWW-Authenticate", Challenge(resource, error, description));
        return response;
    }

    /// <summary>The metadata; with the registration facade, the function itself is the clients' authorization server.</summary>
    private byte[] Metadata(BufferedHttpRequest request, ProtectedResource resource) => OAuthJson.Write(json =>
    {
        json.WriteStartObject();
        json.WriteString("resource", resource.Resource);
        OAuthJson.WriteList(json, "authorization_servers", _facade is null ? _settings.AdvertisedAuthorizationServers : [ProtectedResource.BaseUrl(request, _settings.Resource)]);
        OAuthJson.WriteList(json, "scopes_supported", _settings.Scopes);
        OAuthJson.WriteList(json, "bearer_methods_supported", ["header"]);
        json.WriteEndObject();
    });

    /// <summary>Text safe inside a quoted-string: no quotes, backslashes or control characters.</summary>
    private static string Quoted(string text) => new([.. text.Select(c => c is '"' or '\\' || char.IsControl(c) ? '\'' : c)]);
}
