using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using McpLambda.Runtime.Authorization;
using McpLambda.Runtime.Http;
using Microsoft.IdentityModel.Tokens;

namespace McpLambda.Runtime.Tests.Authorization;

/// <summary>
/// The registration facade's endpoints and refusals, in front of an issuer served in-process (its authorization endpoint
/// is only a URL here; the end-to-end tests send a real browser flow through a real provider).
/// </summary>
public sealed class RegistrationFacadeTests
{
    private const string Function = "https://fn.example";
    private const string ClientRedirect = "http://127.0.0.1:43123/callback";
    private const string Verifier = "the-clients-pkce-verifier-of-enough-length-0123456789";
    private static readonly string Challenge = Base64UrlEncoder.Encode(SHA256.HashData(Encoding.ASCII.GetBytes(Verifier)));

    private readonly TestIssuer _issuer = new();
    private readonly MovableClock _clock = new();
    private readonly ResourceServer _server;

    public RegistrationFacadeTests()
    {
        var settings = TestIssuer.Settings() with
        {
            Facade = new RegistrationFacadeSettings { ClientId = "facade-client", Key = new byte[FlowSeal.KeyBytes] },
        };
        _server = _issuer.ResourceServer(settings, _clock);
    }

    [Theory]
    [InlineData("", Function)]
    [InlineData("/prod", Function + "/prod")]
    public async Task The_resource_metadata_names_the_function_itself_as_the_authorization_server(string pathBase, string expected)
    {
        var metadata = await JsonAsync(Request("GET", "/.well-known/oauth-protected-resource/mcp") with { PathBase = pathBase }, 200);

        Assert.Equal([expected], metadata.GetProperty("authorization_servers").EnumerateArray().Select(e => e.GetString()));
    }

    [Theory]
    [InlineData("/.well-known/oauth-authorization-server", "", Function)]
    [InlineData("/.well-known/openid-configuration", "", Function)]
    [InlineData("/.well-known/openid-configuration", "/prod", Function + "/prod")]
    [InlineData("/.well-known/oauth-authorization-server/prod", "/prod", Function + "/prod")]
    public async Task The_authorization_server_metadata_describes_the_facade(string path, string pathBase, string issuer)
    {
        var metadata = await JsonAsync(Request("GET", path) with { PathBase = pathBase }, 200);

        Assert.Equal(issuer, metadata.GetProperty("issuer").GetString());
        Assert.Equal(issuer + "/oauth/authorize", metadata.GetProperty("authorization_endpoint").GetString());
        Assert.Equal(issuer + "/oauth/token", metadata.GetProperty("token_endpoint").GetString());
        Assert.Equal(issuer + "/oauth/register", metadata.GetProperty("registration_endpoint").GetString());
        Assert.Equal(TestIssuer.Issuer + "/jwks", metadata.GetProperty("jwks_uri").GetString());
        Assert.Equal(["code"], Strings(metadata, "response_types_supported"));
        Assert.Equal(["authorization_code", "refresh_token"], Strings(metadata, "grant_types_supported"));
        Assert.Equal(["S256"], Strings(metadata, "code_challenge_methods_supported"));
        Assert.Equal(["none"], Strings(metadata, "token_endpoint_auth_methods_supported"));
        Assert.Equal(["mcp:tools"], Strings(metadata, "scopes_supported"));
        Assert.True(metadata.GetProperty("authorization_response_iss_parameter_supported").GetBoolean());
        Assert.False(metadata.GetProperty("client_id_metadata_document_supported").GetBoolean());
    }

    [Fact]
    public async Task Registration_answers_with_the_providers_client_and_the_allowed_redirect_uris()
    {
        var body = $$"""{"client_name":"Claude Code","redirect_uris":["{{ClientRedirect}}","https://evil.example/cb"],"token_endpoint_auth_method":"client_secret_post"}""";

        var answer = await AnswerAsync(Request("POST", "/oauth/register", body, MediaTypes.Json));

        Assert.Equal(201, answer.StatusCode);
        Assert.Equal("no-store", answer.Headers["Cache-Control"]);
        var client = JsonDocument.Parse(answer.Body).RootElement;
        Assert.Equal("facade-client", client.GetProperty("client_id").GetString());
        Assert.Equal([ClientRedirect], Strings(client, "redirect_uris"));
        Assert.Equal("none", client.GetProperty("token_endpoint_auth_method").GetString());
        Assert.Equal("Claude Code", client.GetProperty("client_name").GetString());
    }

    [Theory]
    [InlineData("""{"redirect_uris":["https://evil.example/cb"]}""", "invalid_redirect_uri")]
    [InlineData("""{"redirect_uris":[]}""", "invalid_redirect_uri")]
    [InlineData("""{"client_name":"no redirect"}""", "invalid_redirect_uri")]
    [InlineData("not json", "invalid_client_metadata")]
    public async Task Registration_without_an_allowed_redirect_uri_is_refused(string body, string error)
    {
        var answer = await JsonAsync(Request("POST", "/oauth/register", body, MediaTypes.Json), 400);

        Assert.Equal(error, answer.GetProperty("error").GetString());
    }

    [Fact]
    public async Task Authorization_goes_on_to_the_provider_with_the_facade_client_and_callback_and_the_clients_pkce_scope_and_resource()
    {
        var answer = await AnswerAsync(Authorize());

        Assert.Equal(302, answer.StatusCode);
        var location = new Uri(answer.Headers["Location"]!);
        Assert.Equal(TestIssuer.Issuer + "/authorize", location.GetLeftPart(UriPartial.Path));
        var query = FormFields.Parse(location.Query.TrimStart('?'));
        Assert.Equal("code", query["response_type"]);
        Assert.Equal("facade-client", query["client_id"]);
        Assert.Equal(Function + "/oauth/callback", query["redirect_uri"]);
        Assert.Equal(Challenge, query["code_challenge"]);
        Assert.Equal("S256", query["code_challenge_method"]);
        Assert.Equal("mcp:tools", query["scope"]);
        Assert.Equal(TestIssuer.Resource, query["resource"]);
        Assert.NotEqual("client-state", query["state"]);
        Assert.DoesNotContain(ClientRedirect, query["state"]);
    }

    [Theory]
    [InlineData("redirect_uri", "https://evil.example/cb")]
    [InlineData("redirect_uri", null)]
    [InlineData("client_id", "another-client")]
    [InlineData("client_id", "https://client.example/metadata.json")]
    public async Task Authorization_for_another_client_or_redirect_uri_is_refused_in_place_never_redirected(string name, string? value)
    {
        var answer = await AnswerAsync(Authorize(name, value));

        Assert.Equal(400, answer.StatusCode);
        Assert.Null(answer.Headers["Location"]);
        Assert.Equal("invalid_request", JsonDocument.Parse(answer.Body).RootElement.GetProperty("error").GetString());
    }

    [Theory]
    [InlineData("code_challenge", null, "invalid_request")]
    [InlineData("code_challenge_method", "plain", "invalid_request")]
    [InlineData("code_challenge_method", null, "invalid_request")]
    [InlineData("response_type", "token", "unsupported_response_type")]
    public async Task Authorization_without_pkce_goes_back_to_the_client_as_an_error_and_never_to_the_provider(string name, string? value, string error)
    {
        var answer = await AnswerAsync(Authorize(name, value));

        Assert.Equal(302, answer.StatusCode);
        var location = answer.Headers["Location"]!;
        Assert.StartsWith(ClientRedirect + "?", location);
        var query = FormFields.Parse(new Uri(location).Query.TrimStart('?'));
        Assert.Equal(error, query["error"]);
        Assert.Equal("client-state", query["state"]);
        Assert.Equal(Function, query["iss"]);
    }

    [Fact]
    public async Task The_callback_sends_the_client_its_state_the_facade_as_issuer_and_a_sealed_code()
    {
        var location = await CallbackAsync("code=provider-code");

        Assert.StartsWith(ClientRedirect + "?", location);
        var query = FormFields.Parse(new Uri(location).Query.TrimStart('?'));
        Assert.Equal("client-state", query["state"]);
        Assert.Equal(Function, query["iss"]);
        Assert.False(string.IsNullOrEmpty(query["code"]));
        Assert.DoesNotContain("provider-code", query["code"]);
    }

    [Fact]
    public async Task The_providers_error_goes_back_to_the_client_with_its_state()
    {
        var query = FormFields.Parse(new Uri(await CallbackAsync("error=access_denied&error_description=the+user+said+no")).Query.TrimStart('?'));

        Assert.Equal("access_denied", query["error"]);
        Assert.Equal("the user said no", query["error_description"]);
        Assert.Equal("client-state", query["state"]);
        Assert.Equal(Function, query["iss"]);
        Assert.Null(query["code"]);
    }

    [Theory]
    [InlineData("tampered")]
    [InlineData("expired")]
    [InlineData("missing")]
    [InlineData("a code passed off as a state")]
    public async Task A_callback_whose_state_the_facade_did_not_seal_or_that_expired_is_refused(string how)
    {
        var state = await SealedStateAsync();
        var query = how switch
        {
            "tampered" => "code=c&state=" + Tamper(state),
            "expired" => "code=c&state=" + state,
            "missing" => "code=c",
            _ => "code=c&state=" + CodeOf(await CallbackAsync("code=provider-code")),
        };
        if (how == "expired")
        {
            _clock.Advance(TimeSpan.FromMinutes(11));
        }

        var answer = await AnswerAsync(Request("GET", "/oauth/callback") with { Query = query });

        Assert.Equal(400, answer.StatusCode);
        Assert.Null(answer.Headers["Location"]);
    }

    [Fact]
    public async Task The_token_request_reaches_the_provider_with_its_own_code_the_facade_client_and_callback_and_the_clients_verifier()
    {
        var code = CodeOf(await CallbackAsync("code=provider-code"));

        var answer = await AnswerAsync(Token($"grant_type=authorization_code&code={code}&redirect_uri={Uri.EscapeDataString(ClientRedirect)}&code_verifier={Verifier}&client_id=facade-client&resource={Uri.EscapeDataString(TestIssuer.Resource)}"));

        Assert.Equal(200, answer.StatusCode);
        Assert.Equal("no-store", answer.Headers["Cache-Control"]);
        Assert.Equal("from-the-issuer", JsonDocument.Parse(answer.Body).RootElement.GetProperty("access_token").GetString());
        var forwarded = FormFields.Parse(Assert.Single(_issuer.TokenRequests));
        Assert.Equal("authorization_code", forwarded["grant_type"]);
        Assert.Equal("provider-code", forwarded["code"]);
        Assert.Equal(Function + "/oauth/callback", forwarded["redirect_uri"]);
        Assert.Equal(Verifier, forwarded["code_verifier"]);
        Assert.Equal("facade-client", forwarded["client_id"]);
        Assert.Equal(TestIssuer.Resource, forwarded["resource"]);
    }

    [Fact]
    public async Task A_refresh_goes_to_the_provider_with_the_facade_client()
    {
        var answer = await AnswerAsync(Token("grant_type=refresh_token&refresh_token=rt-1&client_id=facade-client"));

        Assert.Equal(200, answer.StatusCode);
        var forwarded = FormFields.Parse(Assert.Single(_issuer.TokenRequests));
        Assert.Equal("refresh_token", forwarded["grant_type"]);
        Assert.Equal("rt-1", forwarded["refresh_token"]);
        Assert.Equal("facade-client", forwarded["client_id"]);
    }

    [Theory]
    [InlineData("another redirect_uri", "invalid_grant")]
    [InlineData("tampered code", "invalid_grant")]
    [InlineData("expired code", "invalid_grant")]
    [InlineData("a state passed off as a code", "invalid_grant")]
    [InlineData("no verifier", "invalid_request")]
    [InlineData("another client", "invalid_client")]
    [InlineData("client credentials", "unsupported_grant_type")]
    public async Task A_token_request_the_facade_cannot_vouch_for_is_refused_before_the_provider_sees_it(string how, string error)
    {
        var code = CodeOf(await CallbackAsync("code=provider-code"));
        var redirect = Uri.EscapeDataString(ClientRedirect);
        var form = how switch
        {
            "another redirect_uri" => $"grant_type=authorization_code&code={code}&redirect_uri={Uri.EscapeDataString("http://127.0.0.1:9/callback")}&code_verifier={Verifier}",
            "tampered code" => $"grant_type=authorization_code&code={Tamper(code)}&redirect_uri={redirect}&code_verifier={Verifier}",
            "expired code" => $"grant_type=authorization_code&code={code}&redirect_uri={redirect}&code_verifier={Verifier}",
            "a state passed off as a code" => $"grant_type=authorization_code&code={await SealedStateAsync()}&redirect_uri={redirect}&code_verifier={Verifier}",
            "no verifier" => $"grant_type=authorization_code&code={code}&redirect_uri={redirect}",
            "another client" => $"grant_type=authorization_code&code={code}&redirect_uri={redirect}&code_verifier={Verifier}&client_id=someone-else",
            _ => "grant_type=client_credentials",
        };
        if (how == "expired code")
        {
            _clock.Advance(TimeSpan.FromMinutes(11));
        }

        var answer = await JsonAsync(Token(form), 400);

        Assert.Equal(error, answer.GetProperty("error").GetString());
        Assert.Empty(_issuer.TokenRequests);
    }

    [Fact]
    public async Task The_mcp_endpoint_still_needs_a_token()
    {
        var answer = await AnswerAsync(Request("POST", "/mcp", "{}", MediaTypes.Json));

        Assert.Equal(401, answer.StatusCode);
    }

    /// <summary>An authorization request as Claude Code sends it, with <paramref name="name"/> set to <paramref name="value"/> (null: left out).</summary>
    private static BufferedHttpRequest Authorize(string? name = null, string? value = null)
    {
        var fields = new Dictionary<string, string?>
        {
            ["response_type"] = "code",
            ["client_id"] = "facade-client",
            ["redirect_uri"] = ClientRedirect,
            ["state"] = "client-state",
            ["code_challenge"] = Challenge,
            ["code_challenge_method"] = "S256",
            ["scope"] = "mcp:tools",
            ["resource"] = TestIssuer.Resource,
        };
        if (name is not null)
        {
            fields[name] = value;
        }

        return Request("GET", "/oauth/authorize") with { Query = FormFields.Encode(fields) };
    }

    /// <summary>The state the facade sealed into its request to the provider.</summary>
    private async Task<string> SealedStateAsync()
        => FormFields.Parse(new Uri((await AnswerAsync(Authorize())).Headers["Location"]!).Query.TrimStart('?'))["state"]!;

    /// <summary>Where the provider's callback with <paramref name="query"/> (and the sealed state) sends the browser.</summary>
    private async Task<string> CallbackAsync(string query)
    {
        var answer = await AnswerAsync(Request("GET", "/oauth/callback") with { Query = query + "&state=" + await SealedStateAsync() });
        Assert.Equal(302, answer.StatusCode);
        return answer.Headers["Location"]!;
    }

    private static string CodeOf(string location) => FormFields.Parse(new Uri(location).Query.TrimStart('?'))["code"]!;

    private static BufferedHttpRequest Token(string form) => Request("POST", "/oauth/token", form, MediaTypes.Form);

    private static string Tamper(string sealedText) => sealedText[..^4] + (sealedText[^4] == 'A' ? 'B' : 'A') + sealedText[^3..];

    private async Task<BufferedHttpResponse> AnswerAsync(BufferedHttpRequest request)
        => await _server.GuardAsync(request) ?? throw new InvalidOperationException("the request went through to MCP");

    private async Task<JsonElement> JsonAsync(BufferedHttpRequest request, int status)
    {
        var answer = await AnswerAsync(request);
        Assert.Equal(status, answer.StatusCode);
        return JsonDocument.Parse(answer.Body).RootElement;
    }

    private static string[] Strings(JsonElement element, string name) => [.. element.GetProperty(name).EnumerateArray().Select(e => e.GetString()!)];

    private static BufferedHttpRequest Request(string method, string path, string? body = null, string? contentType = null)
    {
        var headers = new HttpHeaderCollection();
        headers.Set("Host", "fn.example");
        headers.Set("X-Forwarded-Proto", "https");
        if (contentType is not null)
        {
            headers.Set("Content-Type", contentType);
        }

        return new BufferedHttpRequest(method, path, headers, Encoding.UTF8.GetBytes(body ?? ""));
    }

    private sealed class MovableClock : TimeProvider
    {
        private DateTimeOffset _now = DateTimeOffset.UtcNow;

        public void Advance(TimeSpan by) => _now += by;

        public override DateTimeOffset GetUtcNow() => _now;
    }
}
