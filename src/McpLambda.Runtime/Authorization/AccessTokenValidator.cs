using System.Text.Json;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using McpLambda.Runtime.Invocations;

namespace McpLambda.Runtime.Authorization;

/// <summary>
/// Checks a JWT access token in-process: signed by the issuer's key with an allowed asymmetric algorithm, issued by
/// exactly the configured issuer, within its lifetime (with a small skew), for this resource (RFC 8707 <c>aud</c>, or a
/// configured audience, or for tokens without one an allowed <c>client_id</c> with <c>token_use: access</c>), and granting
/// the required scopes (<c>scope</c> or <c>scp</c>).
/// </summary>
internal sealed class AccessTokenValidator(OAuthSettings settings, IssuerSigningKeys keys)
{
    private static readonly JsonWebTokenHandler Handler = new() { MapInboundClaims = false };

    /// <summary>Checks <paramref name="token"/> for the resource at <paramref name="resource"/>.</summary>
    public async Task<TokenCheck> CheckAsync(string token, string resource)
    {
        var known = await keys.GetAsync().ConfigureAwait(false);
        var result = await ValidateAsync(token, known).ConfigureAwait(false);
        if (result.Exception is SecurityTokenSignatureKeyNotFoundException
            && await keys.RefreshAsync(known).ConfigureAwait(false) is var refreshed && !ReferenceEquals(refreshed, known))
        {
            result = await ValidateAsync(token, refreshed).ConfigureAwait(false);
        }

        if (!result.IsValid || result.SecurityToken is not JsonWebToken jwt)
        {
            return new TokenCheck.Invalid(Describe(result.Exception));
        }

        if (AudienceProblem(jwt, resource) is { } problem)
        {
            return new TokenCheck.Invalid(problem);
        }

        var subject = Claim(jwt, "sub") ?? Claim(jwt, "client_id");
        if (subject is null)
        {
            return new TokenCheck.Invalid("the token names no subject");
        }

        var caller = new CallerIdentity(subject, Claim(jwt, "client_id") ?? Claim(jwt, "azp"), Scopes(jwt));
        var missing = settings.Scopes.Except(caller.Scopes, StringComparer.Ordinal).ToList();
        return missing.Count == 0 ? new TokenCheck.Valid(caller) : new TokenCheck.InsufficientScope(caller, missing);
    }

    private Task<TokenValidationResult> ValidateAsync(string token, IReadOnlyList<SecurityKey> signingKeys)
        => Handler.ValidateTokenAsync(token, new TokenValidationParameters
        {
            ValidIssuer = settings.Issuer,
            ValidateAudience = false, // checked below: a configured audience, the resource, or Cognito's client ids
            ValidateLifetime = true,
            RequireExpirationTime = true,
            RequireSignedTokens = true,
            ClockSkew = settings.ClockSkew,
            ValidAlgorithms = settings.Algorithms,
            IssuerSigningKeys = signingKeys,
        });

    private string? AudienceProblem(JsonWebToken jwt, string resource)
    {
        var audiences = jwt.Audiences.ToList();
        if (audiences.Count > 0)
        {
            var accepted = settings.Audiences.Count > 0 ? settings.Audiences : [resource];
            return audiences.Any(a => accepted.Any(b => SameAudience(a, b))) ? null : $"the token is for another audience ({string.Join(", ", audiences)}), not {string.Join(", ", accepted)}";
        }

        if (Claim(jwt, "client_id") is { } client && settings.ClientIds.Contains(client, StringComparer.Ordinal)
            && Claim(jwt, "token_use") is null or "access")
        {
            return null;
        }

        return settings.ClientIds.Count > 0
            ? "the token names no audience, and no allowed client_id with token_use access"
            : "the token names no audience (aud)";
    }

    /// <summary>Audiences compare as written, except for a trailing slash, which some clients add to a resource URL.</summary>
    private static bool SameAudience(string a, string b) => string.Equals(a.TrimEnd('/'), b.TrimEnd('/'), StringComparison.Ordinal);

    private static string? Claim(JsonWebToken jwt, string name)
        => jwt.TryGetPayloadValue<string>(name, out var value) && !string.IsNullOrEmpty(value) ? value : null;

    private static IReadOnlyList<string> Scopes(JsonWebToken jwt)
    {
        if (Claim(jwt, "scope") is { } scope)
        {
            return scope.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        }

        if (jwt.TryGetPayloadValue<string[]>("scp", out var list) && list is not null)
        {
            return list;
        }

        return Claim(jwt, "scp")?.Split(' ', StringSplitOptions.RemoveEmptyEntries) ?? [];
    }

    /// <summary>Why a token was refused, in words that do not echo the token.</summary>
    private static string Describe(Exception? error) => error switch
    {
        SecurityTokenExpiredException => "the token has expired",
        SecurityTokenNotYetValidException => "the token is not valid yet",
        SecurityTokenInvalidIssuerException => "the token is from another issuer",
        SecurityTokenInvalidAlgorithmException => "the token's signature algorithm is not allowed",
        SecurityTokenSignatureKeyNotFoundException => "the token is signed with a key the issuer does not publish",
        SecurityTokenInvalidSignatureException => "the token's signature is invalid",
        SecurityTokenNoExpirationException => "the token has no expiry",
        SecurityTokenMalformedException or ArgumentException or JsonException => "the token is not a well-formed JWT",
        null => "the token could not be validated",
        _ => "the token could not be validated: " + error.GetType().Name,
    };
}
