using System.Text.Json;
using McpLambda.Runtime.Hosting;
using Microsoft.IdentityModel.Tokens;

namespace McpLambda.Runtime.Authorization;

/// <summary>
/// The issuer's signing keys: its JWKS, found through its metadata (OpenID discovery, else RFC 8414), fetched once per
/// execution environment (started during init) and kept across warm invocations. A token signed with a key not among
/// them makes one more fetch (the issuer may have rotated its keys), at most once per
/// <see cref="OAuthSettings.KeyRefreshInterval"/>, so that forged key ids cannot make the function hammer the issuer.
/// </summary>
internal sealed class IssuerSigningKeys(OAuthSettings settings, HttpClient http, TimeProvider time)
{
    private readonly SemaphoreSlim _fetching = new(1, 1);
    private Task<IReadOnlyList<SecurityKey>>? _keys;
    private Uri? _jwksUri;
    private DateTimeOffset? _lastRefresh;

    /// <summary>How many times the JWKS was fetched (the log and tests read it).</summary>
    public int Fetches { get; private set; }

    /// <summary>The keys, fetched on first use (or by <see cref="StartFetching"/> during init).</summary>
    public Task<IReadOnlyList<SecurityKey>> GetAsync()
    {
        var keys = _keys ??= FetchAsync();
        if (keys.IsFaulted)
        {
            // A failed fetch (the issuer was down) is not kept: the next request tries again.
            Interlocked.CompareExchange(ref _keys, null, keys);
        }

        return keys;
    }

    /// <summary>Starts the first fetch without waiting for it (init); a failure is logged and retried on first use.</summary>
    public void StartFetching() => _ = GetAsync().ContinueWith(
        t => Log.Error("OAuth: the issuer's signing keys could not be fetched: " + t.Exception!.GetBaseException().Message),
        CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);

    /// <summary>
    /// The keys after a token named one not among <paramref name="known"/>: fetched again unless a refresh happened within
    /// the interval, in which case the latest keys (perhaps from a refresh still under way) are the answer.
    /// </summary>
    public async Task<IReadOnlyList<SecurityKey>> RefreshAsync(IReadOnlyList<SecurityKey> known)
    {
        var now = time.GetUtcNow();
        await _fetching.WaitAsync().ConfigureAwait(false);
        try
        {
            if ((_lastRefresh is not { } last || now - last >= settings.KeyRefreshInterval) && (_keys is null || _keys.IsCompleted))
            {
                _lastRefresh = now;
                _keys = FetchAsync();
            }
        }
        finally
        {
            _fetching.Release();
        }

        return await GetAsync().ConfigureAwait(false) is var latest && latest.Count > 0 ? latest : known;
    }

    private async Task<IReadOnlyList<SecurityKey>> FetchAsync()
    {
        _jwksUri ??= await DiscoverJwksUriAsync().ConfigureAwait(false);
        var json = await http.GetStringAsync(_jwksUri).ConfigureAwait(false);
        var keys = new JsonWebKeySet(json).GetSigningKeys();
        Fetches++;
        Log.Info($"OAuth: {keys.Count} signing key(s) of {settings.Issuer} fetched from {_jwksUri}");
        return [.. keys];
    }

    /// <summary>The <c>jwks_uri</c> of the issuer's metadata, whose <c>issuer</c> must be the one configured (RFC 8414 §3.3).</summary>
    private async Task<Uri> DiscoverJwksUriAsync()
    {
        var problems = new List<string>();
        foreach (var url in IssuerUrls.MetadataUrls(settings.Issuer))
        {
            using var response = await http.GetAsync(url).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
            {
                problems.Add($"{url}: {(int)response.StatusCode}");
                continue;
            }

            using var metadata = JsonDocument.Parse(await response.Content.ReadAsByteArrayAsync().ConfigureAwait(false));
            var root = metadata.RootElement;
            if (!root.TryGetProperty("issuer", out var issuer) || issuer.ValueKind != JsonValueKind.String || issuer.GetString() != settings.Issuer)
            {
                throw new InvalidOperationException($"the metadata at {url} names another issuer than {settings.Issuer}");
            }

            if (!root.TryGetProperty("jwks_uri", out var jwks) || jwks.ValueKind != JsonValueKind.String
                || !Uri.TryCreate(jwks.GetString(), UriKind.Absolute, out var jwksUri) || !IssuerUrls.IsSecure(jwksUri))
            {
                throw new InvalidOperationException($"the metadata at {url} has no https jwks_uri");
            }

            return jwksUri;
        }

        throw new InvalidOperationException($"no metadata for issuer {settings.Issuer} ({string.Join("; ", problems)})");
    }
}
