using System.Text.Json;

namespace McpLambda.Runtime.Authorization;

/// <summary>
/// The issuer's metadata (OpenID discovery, else RFC 8414), fetched once per execution environment for everything that
/// needs it: the signing keys' <c>jwks_uri</c>, and the endpoints the registration facade sends clients to. A failed
/// fetch is not kept, so the next use tries again.
/// </summary>
internal sealed class IssuerMetadata(string issuer, HttpClient http)
{
    private Task<IssuerEndpoints>? _endpoints;

    /// <summary>The issuer, exactly as its tokens and its metadata name it.</summary>
    public string Issuer => issuer;

    /// <summary>The client that fetches from the issuer (its metadata, keys and token endpoint).</summary>
    public HttpClient Http => http;

    /// <summary>The issuer's endpoints, fetched on first use.</summary>
    public Task<IssuerEndpoints> GetAsync()
    {
        var endpoints = _endpoints ??= FetchAsync();
        if (endpoints.IsFaulted)
        {
            Interlocked.CompareExchange(ref _endpoints, null, endpoints);
        }

        return endpoints;
    }

    /// <summary>The first metadata document found, whose <c>issuer</c> must be the one configured (RFC 8414 §3.3).</summary>
    private async Task<IssuerEndpoints> FetchAsync()
    {
        var problems = new List<string>();
        foreach (var url in IssuerUrls.MetadataUrls(issuer))
        {
            using var response = await http.GetAsync(url).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
            {
                problems.Add($"{url}: {(int)response.StatusCode}");
                continue;
            }

            using var metadata = JsonDocument.Parse(await response.Content.ReadAsByteArrayAsync().ConfigureAwait(false));
            var root = metadata.RootElement;
            if (String(root, "issuer") != issuer)
            {
                throw new InvalidOperationException($"the metadata at {url} names another issuer than {issuer}");
            }

            return new IssuerEndpoints(
                SecureUrl(root, "jwks_uri") ?? throw new InvalidOperationException($"the metadata at {url} has no https jwks_uri"),
                SecureUrl(root, "authorization_endpoint"),
                SecureUrl(root, "token_endpoint"));
        }

        throw new InvalidOperationException($"no metadata for issuer {issuer} ({string.Join("; ", problems)})");
    }

    private static string? String(JsonElement root, string name)
        => root.ValueKind == JsonValueKind.Object && root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    /// <summary>An endpoint that can be trusted in transit (https, or http on loopback), or null.</summary>
    private static Uri? SecureUrl(JsonElement root, string name)
        => Uri.TryCreate(String(root, name), UriKind.Absolute, out var url) && IssuerUrls.IsSecure(url) ? url : null;
}
