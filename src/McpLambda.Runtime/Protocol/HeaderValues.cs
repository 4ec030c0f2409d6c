using System.Text;

namespace McpLambda.Runtime.Protocol;

/// <summary>
/// How MCP 2026-07-28 carries a body value in a header (<c>Mcp-Name</c>, <c>Mcp-Param-{Name}</c>): as it is when it is
/// visible ASCII (with inner spaces and tabs), else as <c>=?base64?{UTF-8 in Base64}?=</c>.
/// </summary>
internal static class HeaderValues
{
    /// <summary>What the name of a header that mirrors a tool's argument starts with; its name part follows.</summary>
    public const string ParameterHeaderPrefix = "Mcp-Param-";

    private const string Base64Prefix = "=?base64?";
    private const string Base64Suffix = "?=";

    /// <summary>
    /// The value <paramref name="header"/> carries, decoded from the sentinel form; null when it is malformed: a
    /// character a header value may not hold (outside visible ASCII, space and tab), or a sentinel whose Base64 is not
    /// canonical (a character outside the alphabet, missing padding) or not UTF-8. A value with only the prefix or only
    /// the suffix is taken literally.
    /// </summary>
    public static string? Decode(string header)
    {
        var value = header.Trim(' ', '\t');
        if (value.Any(c => c is not ('\t' or (>= ' ' and <= '~'))))
        {
            return null;
        }

        if (value.Length < Base64Prefix.Length + Base64Suffix.Length
            || !value.StartsWith(Base64Prefix, StringComparison.Ordinal) || !value.EndsWith(Base64Suffix, StringComparison.Ordinal))
        {
            return value;
        }

        var encoded = value[Base64Prefix.Length..^Base64Suffix.Length];
        if (encoded.Length % 4 != 0 || encoded.Any(c => !char.IsAsciiLetterOrDigit(c) && c is not ('+' or '/' or '=')))
        {
            return null;
        }

        try
        {
            return new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(Convert.FromBase64String(encoded));
        }
        catch (Exception ex) when (ex is FormatException or ArgumentException)
        {
            return null;
        }
    }

    /// <summary>Whether <paramref name="name"/> is an <c>Mcp-Param-{Name}</c> header's name, in any case, with a name part that is a token.</summary>
    public static bool IsParameterHeader(string name)
        => name.Length > ParameterHeaderPrefix.Length && name.StartsWith(ParameterHeaderPrefix, StringComparison.OrdinalIgnoreCase) && IsToken(name);

    /// <summary>Whether <paramref name="name"/> is an HTTP field-name token (RFC 9110 section 5.1: <c>1*tchar</c>).</summary>
    public static bool IsToken(string name)
        => name.Length > 0 && name.All(c => char.IsAsciiLetterOrDigit(c) || "!#$%&'*+-.^_`|~".Contains(c));
}
