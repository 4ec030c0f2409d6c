namespace McpLambda.Runtime.Http;

/// <summary>Just enough media-type parsing for the Streamable HTTP rules (no allocations beyond splitting).</summary>
internal static class MediaTypes
{
    public const string Json = "application/json";
    public const string EventStream = "text/event-stream";
    public const string Form = "application/x-www-form-urlencoded";

    /// <summary>Whether <paramref name="contentType"/> names <paramref name="mediaType"/>, parameters such as charset allowed.</summary>
    public static bool IsType(string? contentType, string mediaType)
    {
        if (contentType is null)
        {
            return false;
        }

        var semicolon = contentType.IndexOf(';');
        var type = (semicolon < 0 ? contentType : contentType[..semicolon]).AsSpan().Trim();
        return type.Equals(mediaType, StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>Whether an <c>Accept</c> header admits <paramref name="mediaType"/> (with wildcards, and <c>q=0</c> as a refusal).</summary>
    public static bool Accepts(string? accept, string mediaType)
    {
        if (string.IsNullOrWhiteSpace(accept))
        {
            return true;
        }

        // RFC 9110 12.5.1: the most specific matching range decides, so "application/json;q=0, */*" refuses JSON.
        var slash = mediaType.IndexOf('/');
        var mainType = mediaType.AsSpan(0, slash);
        var bestSpecificity = -1;
        var admitted = false;
        foreach (var range in accept.Split(','))
        {
            var parts = range.Split(';');
            var name = parts[0].AsSpan().Trim();
            var specificity = name.Equals(mediaType, StringComparison.OrdinalIgnoreCase) ? 2
                : name.EndsWith("/*") && name[..^2].Equals(mainType, StringComparison.OrdinalIgnoreCase) ? 1
                : name is "*/*" ? 0
                : -1;
            if (specificity > bestSpecificity)
            {
                bestSpecificity = specificity;
                admitted = !parts.Skip(1).Any(p => p.Trim().Replace(" ", "") is "q=0" or "q=0.0" or "q=0.00" or "q=0.000");
            }
        }

        return admitted;
    }
}
