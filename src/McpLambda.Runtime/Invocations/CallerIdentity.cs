namespace McpLambda.Runtime.Invocations;

/// <summary>Who a verified access token speaks for: its subject, the client it was issued to, and the scopes it grants.</summary>
/// <param name="Subject">The <c>sub</c> claim (the user, or the client for a client-credentials token).</param>
/// <param name="ClientId">The <c>client_id</c> (or <c>azp</c>) claim, when the token names one.</param>
/// <param name="Scopes">The granted scopes, from <c>scope</c> or <c>scp</c>.</param>
internal sealed record CallerIdentity(string Subject, string? ClientId, IReadOnlyList<string> Scopes)
{
    public override string ToString() => $"sub={Subject} client_id={ClientId ?? "-"} scopes={string.Join(' ', Scopes)}";
}
