using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using McpLambda.Runtime.Http;
using Microsoft.IdentityModel.Tokens;

namespace McpLambda.Runtime.Tests.Authorization;

/// <summary>
/// The resource server's answers: the metadata, the challenge, and each way a token is refused, against an issuer
/// whose metadata and keys are served in-process (the end-to-end tests use a real authorization server).
/// </summary>
public sealed class ResourceServerTests
{
    private readonly TestIssuer _issuer = new();

    [Fact]
    public async Task A_request_without_a_token_gets_401_with_the_metadata_url_and_every_required_scope()
    {
        var answer = await _issuer.ResourceServer().GuardAsync(Post());

        Assert.NotNull(answer);
        Assert.Equal(401, answer.StatusCode);
        Assert.Equal("Bearer resource_metadata=\"https://fn.example/.well-known/oauth-protected-resource/mcp\", scope=\"mcp:tools\"", answer.Headers["WWW-Authenticate"]);
        Assert.Equal(-32600, JsonDocument.Parse(answer.Body).RootElement.GetProperty("error").GetProperty("code").GetInt32());
        Assert.Contains("needs an OAuth access token", Encoding.UTF8.GetString(answer.Body.Span));
    }

    [Fact]
    public async Task A_valid_token_goes_through_and_the_keys_are_fetched_once_for_many_requests()
    {
        var server = _issuer.ResourceServer();
        for (var i = 0; i < 5; i++)
        {
            Assert.Null(await server.GuardAsync(Post(_issuer.Token())));
        }

        Assert.Equal(1, _issuer.JwksFetches);
    }

    public static TheoryData<string, string> Refused => new()
    {
        { "expired", "the token has expired" },
        { "not yet valid", "the token is not valid yet" },
        { "another issuer", "the token is from another issuer" },
        { "another audience", "the token is for another audience" },
        { "no audience", "the token names no audience" },
        { "alg none", "" },
        { "tampered", "the token's signature is invalid" },
        { "hmac with the public key", "" },
        { "not a jwt", "the token is not a well-formed JWT" },
    };

    [Theory]
    [MemberData(nameof(Refused))]
    public async Task A_bad_token_gets_401_invalid_token_saying_why(string how, string why)
    {
        var token = how switch
        {
            "expired" => _issuer.Token(d => { d.NotBefore = DateTime.UtcNow.AddHours(-2); d.IssuedAt = d.NotBefore; d.Expires = DateTime.UtcNow.AddHours(-1); }),
            "not yet valid" => _issuer.Token(d => { d.NotBefore = DateTime.UtcNow.AddHours(1); d.Expires = DateTime.UtcNow.AddHours(2); }),
            "another issuer" => _issuer.Token(d => d.Issuer = "https://evil.example"),
            "another audience" => _issuer.Token(d => d.Audience = "https://other.example/mcp"),
            "no audience" => _issuer.Token(d => d.Audience = null),
            "alg none" => TestIssuer.Unsigned(),
            "tampered" => Tamper(_issuer.Token()),
            "hmac with the public key" => _issuer.Token(key: new SymmetricSecurityKey(_issuer.PublicKeyBytes) { KeyId = "k1" }, algorithm: SecurityAlgorithms.HmacSha256),
            _ => "not.a.jwt",
        };

        var answer = await _issuer.ResourceServer().GuardAsync(Post(token));

        Assert.NotNull(answer);
        Assert.Equal(401, answer.StatusCode);
        var challenge = answer.Headers["WWW-Authenticate"]!;
        Assert.StartsWith("Bearer resource_metadata=\"https://fn.example/.well-known/oauth-protected-resource/mcp\", scope=\"mcp:tools\", error=\"invalid_token\", error_description=", challenge);
        Assert.Contains(why, challenge);
        Assert.DoesNotContain(token, challenge);
    }

    [Fact]
    public async Task A_token_signed_by_an_unknown_key_makes_one_more_key_fetch_then_401_and_no_more_fetches_for_a_while()
    {
        var server = _issuer.ResourceServer();
        var stranger = new RsaSecurityKey(RSA.Create(2048)) { KeyId = "rotated-or-forged" };

        var first = await server.GuardAsync(Post(_issuer.Token(key: stranger)));
        var second = await server.GuardAsync(Post(_issuer.Token(key: stranger)));

        Assert.Equal(401, first!.StatusCode);
        Assert.Contains("a key the issuer does not publish", first.Headers["WWW-Authenticate"]);
        Assert.Equal(401, second!.StatusCode);
        Assert.Equal(2, _issuer.JwksFetches);
    }

    [Fact]
    public async Task A_valid_token_without_the_required_scope_gets_403_insufficient_scope_naming_it()
    {
        var answer = await _issuer.ResourceServer().GuardAsync(Post(_issuer.Token(d => d.Claims["scope"] = "other")));

        Assert.Equal(403, answer!.StatusCode);
        Assert.StartsWith("Bearer resource_metadata=\"https://fn.example/.well-known/oauth-protected-resource/mcp\", scope=\"mcp:tools\", error=\"insufficient_scope\"", answer.Headers["WWW-Authenticate"]);
        Assert.Contains("Forbidden", Encoding.UTF8.GetString(answer.Body.Span));
    }

    [Fact]
    public async Task Scopes_are_read_from_scp_as_a_list_too()
    {
        var token = _issuer.Token(d => { d.Claims.Remove("scope"); d.Claims["scp"] = new[] { "mcp:tools" }; });

        Assert.Null(await _issuer.ResourceServer().GuardAsync(Post(token)));
    }

    [Fact]
    public async Task A_token_in_the_query_string_is_not_read()
    {
        var request = new BufferedHttpRequest("POST", "/mcp?access_token=" + _issuer.Token(), Headers(), "{}"u8.ToArray());

        Assert.Equal(401, (await _issuer.ResourceServer().GuardAsync(request))!.StatusCode);
    }

    [Theory]
    [InlineData("Basic dXNlcjpwYXNz")]
    [InlineData("Bearer")]
    [InlineData("Bearer a b")]
    public async Task An_authorization_header_that_is_no_bearer_token_gets_401_invalid_token(string authorization)
    {
        var headers = Headers();
        headers.Set("Authorization", authorization);

        var answer = await _issuer.ResourceServer().GuardAsync(new BufferedHttpRequest("POST", "/mcp", headers, "{}"u8.ToArray()));

        Assert.Equal(401, answer!.StatusCode);
        Assert.Contains("error=\"invalid_token\"", answer.Headers["WWW-Authenticate"]);
    }

    [Fact]
    public async Task Cognito_access_tokens_without_an_audience_pass_for_an_allowed_client_and_id_tokens_do_not()
    {
        var settings = TestIssuer.Settings() with { ClientIds = ["cognito-app"] };
        var server = _issuer.ResourceServer(settings);
        string Cognito(string use) => _issuer.Token(d => { d.Audience = null; d.Claims["client_id"] = "cognito-app"; d.Claims["token_use"] = use; });

        Assert.Null(await server.GuardAsync(Post(Cognito("access"))));
        Assert.Equal(401, (await server.GuardAsync(Post(Cognito("id"))))!.StatusCode);
        Assert.Equal(401, (await server.GuardAsync(Post(_issuer.Token(d => { d.Audience = null; d.Claims["client_id"] = "another-app"; }))))!.StatusCode);
    }

    [Theory]
    [InlineData("/.well-known/oauth-protected-resource/mcp", "", "https://fn.example/mcp")]
    [InlineData("/.well-known/oauth-protected-resource", "", "https://fn.example/mcp")]
    [InlineData("/.well-known/oauth-protected-resource/mcp", "/prod", "https://fn.example/prod/mcp")]
    public async Task The_metadata_names_the_resource_as_the_client_addressed_it_with_its_servers_and_scopes(string path, string pathBase, string resource)
    {
        var request = new BufferedHttpRequest("GET", path, Headers(), ReadOnlyMemory<byte>.Empty) { PathBase = pathBase };

        var answer = await _issuer.ResourceServer().GuardAsync(request);

        Assert.Equal(200, answer!.StatusCode);
        var metadata = JsonDocument.Parse(answer.Body).RootElement;
        Assert.Equal(resource, metadata.GetProperty("resource").GetString());
        Assert.Equal([TestIssuer.Issuer], metadata.GetProperty("authorization_servers").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(["mcp:tools"], metadata.GetProperty("scopes_supported").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(["header"], metadata.GetProperty("bearer_methods_supported").EnumerateArray().Select(e => e.GetString()));
        Assert.DoesNotContain("offline_access", Encoding.UTF8.GetString(answer.Body.Span));
    }

    [Fact]
    public async Task A_configured_resource_wins_over_the_request_for_custom_domains()
    {
        var settings = TestIssuer.Settings() with { Resource = new Uri("https://mcp.example.com/tools") };

        var answer = await _issuer.ResourceServer(settings).GuardAsync(Post());

        Assert.StartsWith("Bearer resource_metadata=\"https://mcp.example.com/.well-known/oauth-protected-resource/tools\"", answer!.Headers["WWW-Authenticate"]);
    }

    private static string Tamper(string token)
    {
        var parts = token.Split('.');
        var payload = Encoding.UTF8.GetString(Base64UrlEncoder.DecodeBytes(parts[1])).Replace("alice", "mallory");
        return parts[0] + "." + Base64UrlEncoder.Encode(Encoding.UTF8.GetBytes(payload)) + "." + parts[2];
    }

    private static HttpHeaderCollection Headers()
    {
        var headers = new HttpHeaderCollection();
        headers.Set("Host", "fn.example");
        headers.Set("X-Forwarded-Proto", "https");
        headers.Set("Content-Type", "application/json");
        return headers;
    }

    private static BufferedHttpRequest Post(string? token = null)
    {
        var headers = Headers();
        if (token is not null)
        {
            headers.Set("Authorization", "Bearer " + token);
        }

        return new BufferedHttpRequest("POST", "/mcp", headers, "{}"u8.ToArray());
    }
}
