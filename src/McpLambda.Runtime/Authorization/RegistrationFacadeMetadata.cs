using McpLambda.Runtime.Http;

namespace McpLambda.Runtime.Authorization;

/// <summary>
/// The facade's authorization server metadata (RFC 8414), served at both well-known names: clients that look for
/// OpenID discovery (the only one reachable under an API Gateway stage, as <c>&lt;issuer&gt;/.well-known/openid-configuration</c>)
/// also check its OpenID members, so those are present, naming the provider's keys.
/// </summary>
internal static class RegistrationFacadeMetadata
{
    /// <summary>RFC 8414's well-known path.</summary>
    public const string OAuthPath = "/.well-known/oauth-authorization-server";

    /// <summary>OpenID discovery's well-known path.</summary>
    public const string OpenIdPath = "/.well-known/openid-configuration";

    /// <summary>Whether <paramref name="request"/> asks for the metadata: at either name, bare or followed by the stage.</summary>
    public static bool IsMetadataRequest(BufferedHttpRequest request)
        => request.Path is OAuthPath or OpenIdPath
            || (request.PathBase.Length > 0 && (request.Path == OAuthPath + request.PathBase || request.Path == OpenIdPath + request.PathBase));

    /// <summary>The document for the facade at <paramref name="issuer"/>.</summary>
    public static byte[] Write(string issuer, IReadOnlyList<string> scopes, Uri providerKeys) => OAuthJson.Write(json =>
    {
        json.WriteStartObject();
        json.WriteString("issuer", issuer);
        json.WriteString("authorization_endpoint", issuer + RegistrationFacade.AuthorizePath);
        json.WriteString("token_endpoint", issuer + RegistrationFacade.TokenPath);
        json.WriteString("registration_endpoint", issuer + RegistrationFacade.RegisterPath);
        json.WriteString("jwks_uri", providerKeys.AbsoluteUri);
        OAuthJson.WriteList(json, "scopes_supported", scopes);
        OAuthJson.WriteList(json, "response_types_supported", ["code"]);
        OAuthJson.WriteList(json, "response_modes_supported", ["query"]);
        OAuthJson.WriteList(json, "grant_types_supported", ["authorization_code", "refresh_token"]);
        OAuthJson.WriteList(json, "code_challenge_methods_supported", ["S256"]);
        OAuthJson.WriteList(json, "token_endpoint_auth_methods_supported", ["none"]);
        json.WriteBoolean("authorization_response_iss_parameter_supported", true);

        // Every client registers: a client id that is a metadata document's URL is not the provider's client.
        json.WriteBoolean("client_id_metadata_document_supported", false);

        // OpenID discovery's required members. Any ID token is the provider's, signed with its keys (RS256 is the one
        // algorithm OpenID requires).
        OAuthJson.WriteList(json, "subject_types_supported", ["public"]);
        OAuthJson.WriteList(json, "id_token_signing_alg_values_supported", ["RS256"]);
        json.WriteEndObject();
    });
}
