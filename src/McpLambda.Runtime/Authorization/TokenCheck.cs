using McpLambda.Runtime.Invocations;

namespace McpLambda.Runtime.Authorization;

/// <summary>What checking an access token found.</summary>
internal abstract record TokenCheck
{
    private TokenCheck()
    {
    }

    /// <summary>The token is good for this resource and grants every required scope.</summary>
    public sealed record Valid(CallerIdentity Caller) : TokenCheck;

    /// <summary>The token cannot be used (RFC 6750 <c>invalid_token</c>): <paramref name="Reason"/> says why.</summary>
    public sealed record Invalid(string Reason) : TokenCheck;

    /// <summary>The token is good but lacks scopes (RFC 6750 <c>insufficient_scope</c>).</summary>
    public sealed record InsufficientScope(CallerIdentity Caller, IReadOnlyList<string> Missing) : TokenCheck;
}
