namespace McpLambda.Runtime.Bridge;

/// <summary>The wrapped server could not be started or did not complete the MCP handshake.</summary>
internal sealed class StdioServerStartException(string message, Exception? inner = null) : Exception(message, inner)
{
    /// <summary>Whether the server was ended by a signal during its start (killed from outside) rather than failing by itself.</summary>
    internal bool KilledBySignal { get; init; }

    /// <summary>The server's exit code, when it exited.</summary>
    internal int? ExitCode { get; init; }

    /// <summary>How often starts failed in a row and when the next is due, once the back-off has counted this failure.</summary>
    internal string? Retry { get; init; }

    /// <summary>
    /// What a caller is told: the command, the exit code and the back-off, never the arguments or stderr (they may hold
    /// secrets such as API keys).
    /// </summary>
    internal string CallerMessage(string command, string reference)
        => $"The MCP server '{command}' could not start" + (ExitCode is { } code ? $": it exited with code {code}" : "")
            + (Retry is { } retry ? $" ({retry})" : "") + $" ({reference}).";
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

    /// <summary>The server's exit code, when it exited.</summary>
    public int? ExitCode { get; init; }
}

/// <summary>
/// The server runs one process per verified caller (a secret reference names the caller), and this request's caller is
/// unknown or cannot name its secrets: no server is started for it. The message says why, for the caller.
/// </summary>
internal sealed class CallerRequiredException(string message) : Exception(message);
