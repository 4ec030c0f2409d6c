namespace McpLambda.Runtime.JsonRpc;

/// <summary>How modern (MCP 2026-07-28) requests are answered for a legacy server.</summary>
internal sealed record ModernOptions
{
    /// <summary>How long the answer to a cacheable request (lists, <c>resources/read</c>, <c>server/discover</c>) may be reused, in milliseconds (<c>ttlMs</c>).</summary>
    public long CacheTtlMs { get; init; }

    /// <summary>Who may reuse it (<c>cacheScope</c>): <c>private</c> (one authorization context) or <c>public</c>.</summary>
    public string CacheScope { get; init; } = "private";

    /// <summary>
    /// The AES-256 key (32 bytes) that seals the <c>requestState</c> of multi round-trip requests; it must be the same in every
    /// execution environment for a retry to be served by another one. Null: one made up for this process.
    /// </summary>
    public byte[]? RequestStateKey { get; init; }

    /// <summary>The secret reference (<c>ssm:…</c>) that holds <see cref="RequestStateKey"/>, resolved during init; null for none.</summary>
    public string? RequestStateKeyReference { get; init; }

    /// <summary>How long a <c>requestState</c> stays good, and a paused call waits here for its retry.</summary>
    public TimeSpan RequestStateLifetime { get; init; } = TimeSpan.FromMinutes(5);
}
