namespace McpLambda.Runtime.Authorization;

/// <summary>
/// The redirect URIs the registration facade sends authorization codes to. A pattern is a URI matched exactly, except
/// that <c>:*</c> after the host matches any port or none (a native client's loopback listener, RFC 8252 §7.3) and a
/// path segment <c>*</c> matches one segment of unreserved characters (never <c>.</c> or <c>..</c>). No other wildcard
/// exists, so a pattern can never admit another host.
/// </summary>
internal sealed class RedirectUriAllowList
{
    /// <summary>The callbacks of well-known MCP clients, each registered by the client itself.</summary>
    public static readonly IReadOnlyList<string> DefaultPatterns =
    [
        "https://claude.ai/api/mcp/auth_callback",
        "https://claude.com/api/mcp/auth_callback",
        "http://localhost:*/callback",
        "http://127.0.0.1:*/callback",
        "http://127.0.0.1:*/",
        "https://vscode.dev/redirect",
        "https://insiders.vscode.dev/redirect",
        "https://chatgpt.com/connector_platform_oauth_redirect",
        "https://chatgpt.com/connector/oauth/*",
        "http://localhost:8787/callback",
        "https://www.cursor.com/agents/mcp/oauth/callback",
        "cursor://anysphere.cursor-mcp/oauth/callback",
        "http://localhost:6274/oauth/callback",
    ];

    private readonly Pattern[] _patterns;

    /// <summary>The list of <paramref name="patterns"/>.</summary>
    /// <exception cref="ArgumentException">A pattern is no absolute URI, or puts a wildcard elsewhere than a port or a whole path segment.</exception>
    public RedirectUriAllowList(IEnumerable<string> patterns)
    {
        Patterns = [.. patterns];
        _patterns = [.. Patterns.Select(Pattern.Parse)];
    }

    /// <summary>The default list.</summary>
    public static RedirectUriAllowList Default { get; } = new(DefaultPatterns);

    /// <summary>The patterns as written.</summary>
    public IReadOnlyList<string> Patterns { get; }

    /// <summary>Whether <paramref name="uri"/> matches a pattern.</summary>
    public bool Allows(string? uri) => uri is not null && UriParts.Split(uri) is { } parts && _patterns.Any(p => p.Matches(parts));

    /// <summary>A URI cut where the patterns compare it: scheme, authority, path segments and query.</summary>
    private sealed record UriParts(string Scheme, string Authority, string[] Segments, string? Query)
    {
        /// <summary>The parts of <paramref name="uri"/>, or null for no absolute URI (or one with a fragment, which a redirect URI must not have).</summary>
        public static UriParts? Split(string uri)
        {
            var schemeEnd = uri.IndexOf("://", StringComparison.Ordinal);
            if (schemeEnd <= 0 || uri.Any(c => c == '#' || char.IsWhiteSpace(c) || char.IsControl(c)))
            {
                return null;
            }

            var rest = uri[(schemeEnd + 3)..];
            var authorityEnd = rest.IndexOfAny(['/', '?']);
            var authority = authorityEnd < 0 ? rest : rest[..authorityEnd];
            var pathAndQuery = authorityEnd < 0 ? "" : rest[authorityEnd..];
            var queryStart = pathAndQuery.IndexOf('?');
            var path = queryStart < 0 ? pathAndQuery : pathAndQuery[..queryStart];
            return authority.Length == 0 ? null : new UriParts(
                uri[..schemeEnd],
                authority,
                (path.Length == 0 ? "/" : path).Split('/'),
                queryStart < 0 ? null : pathAndQuery[(queryStart + 1)..]);
        }
    }

    /// <summary>One pattern: its parts, the host alone when any port matches.</summary>
    private sealed record Pattern(UriParts Parts, string? AnyPortHost)
    {
        public static Pattern Parse(string text)
        {
            var parts = UriParts.Split(text.Trim()) ?? throw Invalid(text, "it is no absolute URI without a fragment");
            var anyPortHost = parts.Authority.EndsWith(":*", StringComparison.Ordinal) ? parts.Authority[..^2] : null;
            if ((anyPortHost ?? parts.Authority).Contains('*') || parts.Query?.Contains('*') == true
                || parts.Segments.Any(s => s.Contains('*') && s != "*"))
            {
                throw Invalid(text, "'*' may stand only for a port (host:*) or a whole path segment (/*/)");
            }

            return new Pattern(parts, anyPortHost);
        }

        public bool Matches(UriParts uri)
            => string.Equals(uri.Scheme, Parts.Scheme, StringComparison.OrdinalIgnoreCase)
                && AuthorityMatches(uri.Authority)
                && uri.Query == Parts.Query
                && uri.Segments.Length == Parts.Segments.Length
                && uri.Segments.Zip(Parts.Segments).All(s => s.Second == "*" ? IsWildcardSegment(s.First) : s.First == s.Second);

        private bool AuthorityMatches(string authority)
        {
            if (AnyPortHost is null)
            {
                return string.Equals(authority, Parts.Authority, StringComparison.OrdinalIgnoreCase);
            }

            if (!authority.StartsWith(AnyPortHost, StringComparison.OrdinalIgnoreCase))
            {
                return false;
            }

            var port = authority[AnyPortHost.Length..];
            return port.Length == 0 || (port[0] == ':' && port.Length is > 1 and <= 6 && port[1..].All(char.IsAsciiDigit));
        }

        /// <summary>One segment of unreserved characters (RFC 3986 §2.3): no escapes, and no dot segment that would climb the path.</summary>
        private static bool IsWildcardSegment(string segment)
            => segment.Length > 0 && segment is not "." and not ".." && segment.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '.' or '_' or '~');

        private static ArgumentException Invalid(string text, string why) => new($"The redirect URI pattern '{text}' cannot be used: {why}.");
    }
}
