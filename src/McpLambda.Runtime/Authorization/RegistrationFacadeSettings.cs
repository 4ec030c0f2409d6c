namespace McpLambda.Runtime.Authorization;

/// <summary>
/// The registration facade, for an identity provider without dynamic client registration: the function answers as the
/// clients' authorization server, registers every client as the provider's one pre-registered public client, and sends
/// its users to the provider. Read from <c>MCPLAMBDA_OAUTH_FACADE_*</c> and <c>MCPLAMBDA_OAUTH_REDIRECT_URIS</c>.
/// </summary>
internal sealed record RegistrationFacadeSettings
{
    /// <summary>The provider's public client (PKCE, no secret) whose one callback is the function's <c>/oauth/callback</c>.</summary>
    public required string ClientId { get; init; }

    /// <summary>The AES-256 key that seals a flow's state and codes; every environment of the function must share it.</summary>
    public required byte[] Key { get; init; }

    /// <summary>
    /// The <c>ssm:</c> reference the key is read from during init, when the setting names a secret; <see cref="Key"/> is
    /// empty until then.
    /// </summary>
    public string? KeyReference { get; init; }

    /// <summary>Whether <see cref="Key"/> was made up at start-up because none was configured (good for one environment only).</summary>
    public bool KeyIsGenerated { get; init; }

    /// <summary>Where the facade may send authorization codes.</summary>
    public RedirectUriAllowList RedirectUris { get; init; } = RedirectUriAllowList.Default;

    /// <summary>How long a user has to sign in at the provider, and a client to redeem its code.</summary>
    public TimeSpan FlowLifetime { get; init; } = TimeSpan.FromMinutes(10);
}
