using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using McpLambda.Runtime.Http;
using McpLambda.Runtime.Observability;

namespace McpLambda.Runtime.Authorization;

/// <summary>
/// The function as its clients' authorization server, in front of an identity provider without dynamic client
/// registration (RFC 7591): every client registers here and gets the provider's one pre-registered public client, the
/// user signs in at the provider, which calls back the function's own <c>/oauth/callback</c>, and the code and tokens
/// come from the provider itself. Nothing is stored: the client's redirect URI and state travel sealed in the provider's
/// <c>state</c>, and the provider's code travels sealed in the client's. PKCE runs end to end (the client's challenge
/// goes to the provider, its verifier follows), so codes are as single-use and as bound as the provider makes them.
/// </summary>
internal sealed class RegistrationFacade
{
    /// <summary>Where clients register (RFC 7591).</summary>
    public const string RegisterPath = "/oauth/register";

    /// <summary>Where users' browsers start; they go on to the provider.</summary>
    public const string AuthorizePath = "/oauth/authorize";

    /// <summary>The provider's one redirect URI for the facade's client.</summary>
    public const string CallbackPath = "/oauth/callback";

    /// <summary>Where clients redeem codes and refresh tokens; the provider answers.</summary>
    public const string TokenPath = "/oauth/token";

    private const string StatePurpose = "mcplambda-facade-state";
    private const string CodePurpose = "mcplambda-facade-code";

    /// <summary>What a registration answer repeats of the client's own metadata.</summary>
    private static readonly string[] EchoedMetadata = ["client_name", "client_uri", "scope"];

    private readonly OAuthSettings _settings;
    private readonly RegistrationFacadeSettings _facade;
    private readonly IssuerMetadata _provider;
    private readonly FlowSeal _seal;
    private readonly TimeProvider _time;

    public RegistrationFacade(OAuthSettings settings, RegistrationFacadeSettings facade, IssuerMetadata provider, TimeProvider time)
    {
        _settings = settings;
        _facade = facade;
        _provider = provider;
        _time = time;
        _seal = new FlowSeal(facade.Key, time);
    }

    /// <summary>The facade's answer to <paramref name="request"/>, or null when the request is for none of its paths.</summary>
    public async Task<BufferedHttpResponse?> AnswerAsync(BufferedHttpRequest request)
    {
        var issuer = ProtectedResource.BaseUrl(request, _settings.Resource);
        if (RegistrationFacadeMetadata.IsMetadataRequest(request))
        {
            return request.Method is "GET" or "HEAD" ? await MetadataAsync(issuer).ConfigureAwait(false) : OAuthAnswers.MethodNotAllowed(request.Path, "GET");
        }

        return (request.Path, request.Method) switch
        {
            (RegisterPath, "POST") => Register(request),
            (AuthorizePath, "GET") => await AuthorizeAsync(request, issuer).ConfigureAwait(false),
            (CallbackPath, "GET") => Callback(request, issuer),
            (TokenPath, "POST") => await TokenAsync(request, issuer).ConfigureAwait(false),
            (RegisterPath or TokenPath, _) => OAuthAnswers.MethodNotAllowed(request.Path, "POST"),
            (AuthorizePath or CallbackPath, _) => OAuthAnswers.MethodNotAllowed(request.Path, "GET"),
            _ => null,
        };
    }

    private async Task<BufferedHttpResponse> MetadataAsync(string issuer)
        => await ProviderAsync().ConfigureAwait(false) is { } provider
            ? OAuthAnswers.Json(200, RegistrationFacadeMetadata.Write(issuer, _settings.Scopes, provider.JwksUri))
            : Unavailable();

    /// <summary>
    /// RFC 7591 registration, stored nowhere: the client gets the provider's client id and keeps the redirect URIs it
    /// asked for that are on the allow-list (RFC 7591 §3.2.1 lets a server drop values; VS Code, for one, asks for URIs
    /// it never uses). None on the list is a refusal.
    /// </summary>
    private BufferedHttpResponse Register(BufferedHttpRequest request)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(request.Body);
        }
        catch (JsonException)
        {
            return OAuthAnswers.Error(400, "invalid_client_metadata", "The registration request must be a JSON object (RFC 7591).");
        }

        using (document)
        {
            var root = document.RootElement;
            var requested = root.ValueKind == JsonValueKind.Object && root.TryGetProperty("redirect_uris", out var uris) && uris.ValueKind == JsonValueKind.Array
                ? uris.EnumerateArray().Select(u => u.ValueKind == JsonValueKind.String ? u.GetString()! : u.GetRawText()).ToList()
                : [];
            var allowed = requested.Where(_facade.RedirectUris.Allows).ToList();
            if (allowed.Count == 0)
            {
                Log.Info($"OAuth facade: registration refused for redirect URIs {string.Join(" ", requested)}");
                return OAuthAnswers.Error(400, "invalid_redirect_uri", requested.Count == 0
                    ? "The registration must list redirect_uris."
                    : $"No redirect URI of {string.Join(", ", requested)} is allowed here; the function's MCPLAMBDA_OAUTH_REDIRECT_URIS lists those it takes.");
            }

            Log.Info($"OAuth facade: registered a client for {string.Join(" ", allowed)}" + (allowed.Count < requested.Count ? $" ({requested.Count - allowed.Count} redirect URI(s) not allowed, left out)" : ""));
            return OAuthAnswers.Uncached(201, OAuthJson.Write(json =>
            {
                json.WriteStartObject();
                json.WriteString("client_id", _facade.ClientId);
                json.WriteNumber("client_id_issued_at", _time.GetUtcNow().ToUnixTimeSeconds());
                OAuthJson.WriteList(json, "redirect_uris", allowed);
                json.WriteString("token_endpoint_auth_method", "none");
                OAuthJson.WriteList(json, "grant_types", ["authorization_code", "refresh_token"]);
                OAuthJson.WriteList(json, "response_types", ["code"]);
                foreach (var name in EchoedMetadata)
                {
                    if (root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String)
                    {
                        json.WriteString(name, value.GetString());
                    }
                }

                json.WriteEndObject();
            }));
        }
    }

    /// <summary>
    /// The authorization request: checked as the provider would check it for this client, then sent on to the provider
    /// with the facade's client and callback, the client's redirect URI and state sealed into the provider's state.
    /// </summary>
    private async Task<BufferedHttpResponse> AuthorizeAsync(BufferedHttpRequest request, string issuer)
    {
        var query = FormFields.Parse(request.Query);
        var clientId = query["client_id"];

        // Without a known client and redirect URI, the error is shown to the user, never sent anywhere (RFC 6749 §4.1.2.1).
        if (clientId != _facade.ClientId)
        {
            return OAuthAnswers.Error(400, "invalid_request", clientId is null
                ? "client_id is missing."
                : $"client_id '{clientId}' is not registered here: register at {issuer}{RegisterPath} (client ID metadata documents are not accepted).");
        }

        var redirectUri = query["redirect_uri"];
        if (!_facade.RedirectUris.Allows(redirectUri))
        {
            return OAuthAnswers.Error(400, "invalid_request", $"redirect_uri '{redirectUri}' is not allowed here (MCPLAMBDA_OAUTH_REDIRECT_URIS).");
        }

        var state = query["state"];
        if (query.RepeatedName("resource") is { } repeated)
        {
            return ToClient(redirectUri!, state, issuer, "invalid_request", $"{repeated} appears more than once.");
        }

        if (query["response_type"] != "code")
        {
            return ToClient(redirectUri!, state, issuer, "unsupported_response_type", "Only the authorization code flow (response_type=code) is supported.");
        }

        if (string.IsNullOrEmpty(query["code_challenge"]) || query["code_challenge_method"] != "S256")
        {
            return ToClient(redirectUri!, state, issuer, "invalid_request", "PKCE is required: send code_challenge with code_challenge_method=S256.");
        }

        if ((await ProviderAsync().ConfigureAwait(false))?.AuthorizationEndpoint is not { } providerAuthorize)
        {
            return ToClient(redirectUri!, state, issuer, "temporarily_unavailable", "The identity provider's authorization endpoint is unknown now; try again later.");
        }

        return OAuthAnswers.Redirect(FormFields.AppendTo(providerAuthorize.AbsoluteUri,
        [
            new("response_type", "code"),
            new("client_id", _facade.ClientId),
            new("redirect_uri", issuer + CallbackPath),
            new("state", _seal.Seal(StatePurpose, _facade.FlowLifetime, redirectUri, state)),
            new("code_challenge", query["code_challenge"]),
            new("code_challenge_method", "S256"),
            new("scope", query["scope"]),
            .. query.All("resource").Select(r => new KeyValuePair<string, string?>("resource", r)),
        ]));
    }

    /// <summary>
    /// The provider's answer: back to the client that started the flow, its code sealed with its redirect URI, or the
    /// provider's error as it is. A state the facade did not seal (or one too old) names no client to go back to.
    /// </summary>
    private BufferedHttpResponse Callback(BufferedHttpRequest request, string issuer)
    {
        var query = FormFields.Parse(request.Query);
        if (_seal.Open(StatePurpose, query["state"]) is not [{ } redirectUri, var state])
        {
            return OAuthAnswers.Error(400, "invalid_request",
                $"This sign-in is not one this function started, or it took longer than {_facade.FlowLifetime.TotalMinutes:0} minutes: start again from the MCP client.");
        }

        if (query["error"] is { } error)
        {
            Log.Info($"OAuth facade: the identity provider refused the authorization: {error} {query["error_description"]}");
            return ToClient(redirectUri, state, issuer, error, query["error_description"]);
        }

        if (string.IsNullOrEmpty(query["code"]))
        {
            return ToClient(redirectUri, state, issuer, "server_error", "The identity provider answered with no code.");
        }

        return OAuthAnswers.Redirect(FormFields.AppendTo(redirectUri,
        [
            new("code", _seal.Seal(CodePurpose, _facade.FlowLifetime, query["code"], redirectUri)),
            new("state", state),
            new("iss", issuer),
        ]));
    }

    /// <summary>
    /// The token request, checked for what the facade knows (its code, the redirect URI it was issued for, PKCE's
    /// verifier) and sent on to the provider with the facade's client and callback; the provider's answer comes back as
    /// it is.
    /// </summary>
    private async Task<BufferedHttpResponse> TokenAsync(BufferedHttpRequest request, string issuer)
    {
        if (!MediaTypes.IsType(request.Headers["Content-Type"], MediaTypes.Form))
        {
            return OAuthAnswers.Error(400, "invalid_request", $"The token request must be a form ({MediaTypes.Form}).");
        }

        var form = FormFields.Parse(request.Body);
        if (form.RepeatedName("resource") is { } repeated)
        {
            return OAuthAnswers.Error(400, "invalid_request", $"{repeated} appears more than once.");
        }

        if (form["client_id"] is { } clientId && clientId != _facade.ClientId)
        {
            return OAuthAnswers.Error(400, "invalid_client", $"client_id '{clientId}' is not registered here.");
        }

        IEnumerable<KeyValuePair<string, string?>> forwarded;
        switch (form["grant_type"])
        {
            case "authorization_code":
                if (_seal.Open(CodePurpose, form["code"]) is not [{ } providerCode, { } redirectUri])
                {
                    return OAuthAnswers.Error(400, "invalid_grant", "The code is not one this function issued, or it has expired.");
                }

                if (form["redirect_uri"] != redirectUri)
                {
                    return OAuthAnswers.Error(400, "invalid_grant", "redirect_uri is not the one the code was issued for.");
                }

                if (string.IsNullOrEmpty(form["code_verifier"]))
                {
                    return OAuthAnswers.Error(400, "invalid_request", "code_verifier is required (PKCE).");
                }

                forwarded =
                [
                    new("grant_type", "authorization_code"),
                    new("code", providerCode),
                    new("redirect_uri", issuer + CallbackPath),
                    new("code_verifier", form["code_verifier"]),
                ];
                break;
            case "refresh_token" when !string.IsNullOrEmpty(form["refresh_token"]):
                forwarded = [new("grant_type", "refresh_token"), new("refresh_token", form["refresh_token"]), new("scope", form["scope"])];
                break;
            case "refresh_token":
                return OAuthAnswers.Error(400, "invalid_request", "refresh_token is missing.");
            case var other:
                return OAuthAnswers.Error(400, "unsupported_grant_type", $"grant_type '{other}' is not supported: use authorization_code or refresh_token.");
        }

        return await ForwardTokenRequestAsync(
            [.. forwarded, new("client_id", _facade.ClientId), .. form.All("resource").Select(r => new KeyValuePair<string, string?>("resource", r))]).ConfigureAwait(false);
    }

    private async Task<BufferedHttpResponse> ForwardTokenRequestAsync(IEnumerable<KeyValuePair<string, string?>> fields)
    {
        if ((await ProviderAsync().ConfigureAwait(false))?.TokenEndpoint is not { } providerToken)
        {
            return Unavailable();
        }

        using var content = new ByteArrayContent(Encoding.UTF8.GetBytes(FormFields.Encode(fields)));
        content.Headers.ContentType = new MediaTypeHeaderValue(MediaTypes.Form);
        using var message = new HttpRequestMessage(HttpMethod.Post, providerToken) { Content = content };
        message.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(MediaTypes.Json));
        try
        {
            using var response = await _provider.Http.SendAsync(message).ConfigureAwait(false);
            var answer = OAuthAnswers.Uncached((int)response.StatusCode, await response.Content.ReadAsByteArrayAsync().ConfigureAwait(false));
            if (response.Content.Headers.ContentType is { } type)
            {
                answer.Headers.Set("Content-Type", type.ToString());
            }

            return answer;
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
        {
            Log.Error("OAuth facade: the identity provider's token endpoint failed: " + ex.Message);
            return Unavailable();
        }
    }

    /// <summary>An error for the client, at its redirect URI with its state and the facade as issuer (RFC 9207).</summary>
    private static BufferedHttpResponse ToClient(string redirectUri, string? state, string issuer, string error, string? description)
        => OAuthAnswers.Redirect(FormFields.AppendTo(redirectUri,
        [
            new("error", error),
            new("error_description", description),
            new("state", state),
            new("iss", issuer),
        ]));

    /// <summary>The provider's endpoints, or null (logged) while its metadata cannot be had.</summary>
    private async Task<IssuerEndpoints?> ProviderAsync()
    {
        try
        {
            return await _provider.GetAsync().ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is HttpRequestException or InvalidOperationException or TaskCanceledException or JsonException)
        {
            Log.Error("OAuth facade: the identity provider's metadata is unavailable: " + ex.Message);
            return null;
        }
    }

    private static BufferedHttpResponse Unavailable()
        => OAuthAnswers.Error(503, "temporarily_unavailable", "The identity provider cannot be reached now; try again later.");
}
