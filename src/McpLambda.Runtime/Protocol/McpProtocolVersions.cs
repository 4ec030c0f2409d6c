namespace McpLambda.Runtime.Protocol;

/// <summary>The MCP protocol revisions this library understands.</summary>
internal static class McpProtocolVersions
{
    /// <summary>The revision assumed when a client sends no <c>MCP-Protocol-Version</c> header (the spec's default).</summary>
    public const string Default = "2025-03-26";

    /// <summary>The newest legacy revision (one with the <c>initialize</c> handshake), offered to the wrapped server.</summary>
    public const string Latest = "2025-11-25";

    /// <summary>The stateless revision: no handshake, every request carries its version and capabilities in <c>_meta</c>.</summary>
    public const string Modern = "2026-07-28";

    /// <summary>Every revision accepted in the <c>MCP-Protocol-Version</c> header, oldest first.</summary>
    public static IReadOnlyList<string> Supported { get; } = ["2024-11-05", "2025-03-26", "2025-06-18", "2025-11-25", Modern];

    /// <summary>The supported revisions newest first, as <c>server/discover</c> and <c>UnsupportedProtocolVersionError</c> list them.</summary>
    public static IReadOnlyList<string> NewestFirst { get; } = [.. Supported.Reverse()];

    /// <summary>
    /// Whether <paramref name="version"/> is a modern revision (no handshake, per-request <c>_meta</c>): 2026-07-28 or
    /// later, by the spec's ordering of date-based versions.
    /// </summary>
    public static bool IsModern(string version) => string.CompareOrdinal(version, Modern) >= 0;

    /// <summary>Whether JSON-RPC batches are part of <paramref name="version"/> (they were removed in 2025-06-18).</summary>
    public static bool AllowsBatches(string version) => string.CompareOrdinal(version, "2025-06-18") < 0;
}
