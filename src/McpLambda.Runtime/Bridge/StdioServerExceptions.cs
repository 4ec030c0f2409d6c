namespace McpLambda.Runtime.Bridge;

/// <summary>The wrapped server could not be started or did not complete the MCP handshake.</summary>
public sealed class StdioServerStartException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>The wrapped server went away while a request waited for it.</summary>
public sealed class StdioServerClosedException(string reason) : Exception("The MCP server closed: " + reason);
