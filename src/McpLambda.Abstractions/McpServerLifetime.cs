namespace McpLambda;

/// <summary>How long one stdio server process lives.</summary>
public enum McpServerLifetime
{
    /// <summary>
    /// One process per Lambda execution environment, started during init and reused by every
    /// invocation. Pick this unless the server keeps state that must not leak between callers.
    /// </summary>
    Warm = 0,

    /// <summary>
    /// A fresh process for each invocation, stopped afterwards. Slower (the server starts every
    /// time) but isolates callers from each other, for servers that keep per-user state.
    /// </summary>
    PerInvocation = 1,
}
