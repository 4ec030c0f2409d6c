namespace McpLambda.Runtime.Protocol;

/// <summary>The MCP protocol revisions this library understands.</summary>
internal static class McpProtocolVersions
{
    /// <summary>The revision assumed when a client sends no <c>MCP-Protocol-Version</c> header (the spec's default).</summary>
    public const string Default = "2025-03-26";

    /// <summary>The newest revision, offered to the wrapped server.</summary>
    public const string Latest = "2025-11-25";

    /// <summary>Every revision accepted in the <c>MCP-Protocol-Version</c> header, oldest first.</summary>
    public static IReadOnlyList<string> Supported { get; } = ["2024-11-05", "2025-03-26", "2025-06-18", "2025-11-25"];

    /// <summary>Whether JSON-RPC batches are part of <paramref name="version"/> (they were removed in 2025-06-18).</summary>
    public static bool AllowsBatches(string version) => string.CompareOrdinal(version, "2025-06-18") < 0;
}
