namespace McpLambda.Runtime.Authorization;

/// <summary>What the issuer's metadata says about where it serves, each https (or http on loopback).</summary>
/// <param name="JwksUri">Its signing keys.</param>
/// <param name="AuthorizationEndpoint">Where users authorize clients; null when the metadata names none.</param>
/// <param name="TokenEndpoint">Where codes and refresh tokens become tokens; null when the metadata names none.</param>
internal sealed record IssuerEndpoints(Uri JwksUri, Uri? AuthorizationEndpoint, Uri? TokenEndpoint);
