using McpLambda.Runtime.Observability;
using Microsoft.IdentityModel.Tokens;

namespace McpLambda.Runtime.Authorization;

/// <summary>
/// The issuer's signing keys: its JWKS, found through its metadata (<see cref="IssuerMetadata"/>), fetched once per
/// execution environment (started during init) and kept across warm invocations. A token signed with a key not among
/// them makes one more fetch (the issuer may have rotated its keys), at most once per
/// <see cref="OAuthSettings.KeyRefreshInterval"/>, so that forged key ids cannot make the function hammer the issuer.
/// </summary>
internal sealed class IssuerSigningKeys(OAuthSettings settings, IssuerMetadata metadata, TimeProvider time)
{
    private readonly SemaphoreSlim _fetching = new(1, 1);
    private Task<IReadOnlyList<SecurityKey>>? _keys;
    private DateTimeOffset? _lastRefresh;

    /// <summary>The keys of <paramref name="settings"/>' issuer, its metadata fetched over <paramref name="http"/>.</summary>
    public IssuerSigningKeys(OAuthSettings settings, HttpClient http, TimeProvider time)
        : this(settings, new IssuerMetadata(settings.Issuer, http), time)
    {
    }

    /// <summary>The issuer's metadata, which names the keys (and, for the registration facade, its endpoints).</summary>
    public IssuerMetadata Metadata => metadata;

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
        var jwksUri = (await metadata.GetAsync().ConfigureAwait(false)).JwksUri;
        var json = await metadata.Http.GetStringAsync(jwksUri).ConfigureAwait(false);
        var keys = new JsonWebKeySet(json).GetSigningKeys();
        Fetches++;
        Log.Info($"OAuth: {keys.Count} signing key(s) of {settings.Issuer} fetched from {jwksUri}");
        return [.. keys];
    }
}
