namespace McpLambda.Runtime.Local;

/// <summary>What one <see cref="LoopbackHttpServer"/> allows a peer, so no client (or web page) can hold it down.</summary>
internal sealed record LoopbackHttpServerLimits
{
    /// <summary>The largest request body read; larger ones get 413 before any handler sees them.</summary>
    public int MaxBodyBytes { get; init; } = 64 * 1024 * 1024;

    /// <summary>How long a connection may send nothing: mid-request it gets 408, between requests it is closed.</summary>
    public TimeSpan IdleTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>How many connections are served at once; one more gets 503 and is closed.</summary>
    public int MaxConnections { get; init; } = 256;
}
