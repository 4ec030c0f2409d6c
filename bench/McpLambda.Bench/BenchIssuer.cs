using System.Net;
using System.Security.Cryptography;
using System.Text;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace McpLambda.Bench;

/// <summary>
/// An OAuth issuer for the OAuth rows: its OpenID metadata and JWKS served on loopback (as a real issuer serves them,
/// so the function fetches them during init), and one access token for the bench event's resource.
/// </summary>
internal sealed class BenchIssuer : IDisposable
{
    private readonly HttpListener _listener = new();
    private readonly RsaSecurityKey _key = new(RSA.Create(2048)) { KeyId = "bench" };

    public BenchIssuer()
    {
        var port = FreePort();
        Url = $"http://127.0.0.1:{port}";
        _listener.Prefixes.Add(Url + "/");
        _listener.Start();
        _ = ServeAsync();
    }

    /// <summary>The issuer URL (MCPLAMBDA_OAUTH_ISSUER).</summary>
    public string Url { get; }

    /// <summary>A token for <paramref name="resource"/> with the scope the function requires, valid for an hour.</summary>
    public string Token(string resource) => new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
    {
        Issuer = Url,
        Audience = resource,
        Expires = DateTime.UtcNow.AddHours(1),
        Claims = new Dictionary<string, object> { ["sub"] = "bench", ["client_id"] = "bench-client", ["scope"] = "mcp:tools" },
        SigningCredentials = new SigningCredentials(_key, SecurityAlgorithms.RsaSha256),
    });

    public void Dispose() => _listener.Close();

    private async Task ServeAsync()
    {
        var jwk = JsonWebKeyConverter.ConvertFromRSASecurityKey(new RsaSecurityKey(_key.Rsa.ExportParameters(false)) { KeyId = _key.KeyId });
        var jwks = $$"""{"keys":[{"kty":"RSA","use":"sig","kid":"{{jwk.Kid}}","n":"{{jwk.N}}","e":"{{jwk.E}}"}]}""";
        var metadata = $$"""{"issuer":"{{Url}}","jwks_uri":"{{Url}}/jwks"}""";
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException)
            {
                return;
            }

            var body = context.Request.Url!.AbsolutePath switch
            {
                "/.well-known/openid-configuration" => metadata,
                "/jwks" => jwks,
                _ => null,
            };
            context.Response.StatusCode = body is null ? 404 : 200;
            context.Response.ContentType = "application/json";
            await context.Response.OutputStream.WriteAsync(Encoding.UTF8.GetBytes(body ?? "{}"));
            context.Response.Close();
        }
    }

    private static int FreePort()
    {
        using var socket = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        socket.Start();
        return ((IPEndPoint)socket.LocalEndpoint).Port;
    }
}
