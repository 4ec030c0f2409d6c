namespace McpLambda.Runtime.Authorization;

/// <summary>
/// The function as an OAuth 2.1 resource server (MCP authorization; RFC 9728, 6750, 8707): which authorization server
/// issues the access tokens it accepts, for which audience and scopes. Read from the <c>MCPLAMBDA_OAUTH_*</c> variables.
/// </summary>
internal sealed record OAuthSettings
{
    /// <summary>The signature algorithms accepted when none are configured: asymmetric only, so no <c>none</c> and no HMAC keyed with a public key.</summary>
    public static readonly IReadOnlyList<string> DefaultAlgorithms = ["RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512"];

    /// <summary>The token issuer, exactly as tokens name it in <c>iss</c>; its metadata (OpenID or RFC 8414) names the keys.</summary>
    public required string Issuer { get; init; }

    /// <summary>Accepted <c>aud</c> values; empty means the resource's own URL (RFC 8707).</summary>
    public IReadOnlyList<string> Audiences { get; init; } = [];

    /// <summary>
    /// Client ids whose access tokens are accepted without an <c>aud</c> (Amazon Cognito without resource binding: the
    /// token names its <c>client_id</c> and <c>token_use: access</c>); empty accepts no token without an audience.
    /// </summary>
    public IReadOnlyList<string> ClientIds { get; init; } = [];

    /// <summary>The scopes every request needs; also what the metadata lists as supported.</summary>
    public IReadOnlyList<string> Scopes { get; init; } = [];

    /// <summary>The MCP endpoint's canonical URL when the event cannot tell it (a custom domain); null to derive it from each request.</summary>
    public Uri? Resource { get; init; }

    /// <summary>The authorization servers the metadata names; empty means the issuer.</summary>
    public IReadOnlyList<string> AuthorizationServers { get; init; } = [];

    /// <summary>Accepted signature algorithms.</summary>
    public IReadOnlyList<string> Algorithms { get; init; } = DefaultAlgorithms;

    /// <summary>Leeway for <c>exp</c> and <c>nbf</c> against clocks that differ a little.</summary>
    public TimeSpan ClockSkew { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>The shortest time between two fetches of the issuer's keys for a token whose key is unknown.</summary>
    public TimeSpan KeyRefreshInterval { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>The registration facade in front of the issuer, or null when clients go to the issuer themselves.</summary>
    public RegistrationFacadeSettings? Facade { get; init; }

    /// <summary>What the metadata lists under <c>authorization_servers</c> when there is no facade (which names the function itself).</summary>
    public IReadOnlyList<string> AdvertisedAuthorizationServers => AuthorizationServers.Count > 0 ? AuthorizationServers : [Issuer];
}
