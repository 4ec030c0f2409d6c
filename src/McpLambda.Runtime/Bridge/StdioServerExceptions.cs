namespace McpLambda.Runtime.Bridge;

/// <summary>The wrapped server could not be started or did not complete the MCP handshake.</summary>
internal sealed class StdioServerStartException(string message, Exception? inner = null) : Exception(message, inner)
{
    /// <summary>Whether the server was ended by a signal during its start (killed from outside) rather than failing by itself.</summary>
    internal bool KilledBySignal { get; init; }
}

/// <summary>The wrapped server went away while a request waited for it, or before the request reached it.</summary>
/// <param name="reason">Why it closed: exit code and last stderr lines.</param>
/// <param name="requestNotSent">True when the request never reached the server, so sending it to a new one is safe.</param>
internal sealed class StdioServerClosedException(string reason, bool requestNotSent = false) : Exception("The MCP server closed: " + reason)
{
    /// <summary>The reason alone, without the prefix of <see cref="Exception.Message"/>.</summary>
    public string Reason { get; } = reason;

    /// <summary>Whether the request never reached the server.</summary>
    public bool RequestNotSent { get; } = requestNotSent;
}
