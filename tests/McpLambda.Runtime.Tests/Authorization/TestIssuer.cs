using System.Net;
using System.Security.Cryptography;
using System.Text;
using McpLambda.Runtime.Authorization;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace McpLambda.Runtime.Tests.Authorization;

/// <summary>
/// An authorization server's half that a resource server sees: its OpenID metadata, JWKS and token endpoint (served
/// through an <see cref="HttpMessageHandler"/> that counts the fetches and keeps the token requests), and access tokens
/// signed with its keys or with others.
/// </summary>
internal sealed class TestIssuer : HttpMessageHandler
{
    public const string Issuer = "https://issuer.example";
    public const string Resource = "https://fn.example/mcp";

    private readonly RsaSecurityKey _key = new(RSA.Create(2048)) { KeyId = "k1" };
    private int _jwksFetches;

    /// <summary>How many times the JWKS was asked for.</summary>
    public int JwksFetches => _jwksFetches;

    /// <summary>The forms posted to the token endpoint, as sent.</summary>
    public List<string> TokenRequests { get; } = [];

    /// <summary>The public key's modulus, e.g. to sign with it as an HMAC secret (a classic confusion attack).</summary>
    public byte[] PublicKeyBytes => _key.Rsa.ExportParameters(false).Modulus!;

    public ResourceServer ResourceServer(OAuthSettings? settings = null, TimeProvider? time = null)
    {
        settings ??= Settings();
        return new ResourceServer(settings, new IssuerSigningKeys(settings, new HttpClient(this), TimeProvider.System), time);
    }

    public static OAuthSettings Settings() => new() { Issuer = Issuer, Scopes = ["mcp:tools"] };

    /// <summary>A token as the issuer would make it, with <paramref name="change"/> applied to its description first.</summary>
    public string Token(Action<SecurityTokenDescriptor>? change = null, SecurityKey? key = null, string algorithm = SecurityAlgorithms.RsaSha256)
    {
        var descriptor = new SecurityTokenDescriptor
        {
            Issuer = Issuer,
            Audience = Resource,
            IssuedAt = DateTime.UtcNow,
            NotBefore = DateTime.UtcNow.AddSeconds(-5),
            Expires = DateTime.UtcNow.AddMinutes(5),
            Claims = new Dictionary<string, object> { ["sub"] = "alice", ["client_id"] = "client-1", ["scope"] = "mcp:tools other" },
            SigningCredentials = new SigningCredentials(key ?? _key, algorithm),
        };
        change?.Invoke(descriptor);
        return new JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = false }.CreateToken(descriptor);
    }

    /// <summary>An unsigned token (<c>alg: none</c>) with the right claims.</summary>
    public static string Unsigned()
    {
        static string Part(string json) => Base64UrlEncoder.Encode(Encoding.UTF8.GetBytes(json));
        var exp = DateTimeOffset.UtcNow.AddMinutes(5).ToUnixTimeSeconds();
        return Part("""{"alg":"none","typ":"JWT"}""") + "." + Part($$"""{"iss":"{{Issuer}}","aud":"{{Resource}}","sub":"alice","scope":"mcp:tools","exp":{{exp}}}""") + ".";
    }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var path = request.RequestUri!.AbsolutePath;
        if (path == "/token")
        {
            TokenRequests.Add(await request.Content!.ReadAsStringAsync(cancellationToken));
        }

        var body = path switch
        {
            "/.well-known/openid-configuration" => $$"""{"issuer":"{{Issuer}}","jwks_uri":"{{Issuer}}/jwks","authorization_endpoint":"{{Issuer}}/authorize","token_endpoint":"{{Issuer}}/token"}""",
            "/jwks" => Jwks(),
            "/token" => """{"access_token":"from-the-issuer","token_type":"Bearer","expires_in":600}""",
            _ => null,
        };
        if (path == "/jwks")
        {
            Interlocked.Increment(ref _jwksFetches);
        }

        return body is null
            ? new HttpResponseMessage(HttpStatusCode.NotFound)
            : new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
    }

    private string Jwks()
    {
        var jwk = JsonWebKeyConverter.ConvertFromRSASecurityKey(new RsaSecurityKey(_key.Rsa.ExportParameters(false)) { KeyId = _key.KeyId });
        return $$"""{"keys":[{"kty":"RSA","use":"sig","kid":"{{jwk.Kid}}","n":"{{jwk.N}}","e":"{{jwk.E}}"}]}""";
    }
}
