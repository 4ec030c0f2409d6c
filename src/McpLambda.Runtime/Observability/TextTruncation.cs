namespace McpLambda.Runtime.Observability;

/// <summary>Shortens text that comes from outside (a server's output, an error) before it is logged or posted, so its size stays bounded.</summary>
internal static class TextTruncation
{
    /// <summary><paramref name="text"/> itself when it has at most <paramref name="maxLength"/> characters, else its start and a note of its length.</summary>
    public static string Truncate(string text, int maxLength)
        => text.Length <= maxLength ? text : $"{text.AsSpan(0, maxLength)}… (truncated; {text.Length} characters in all)";
}
