namespace McpLambda.Runtime.Protocol;

/// <summary>The <c>_meta</c> keys MCP 2026-07-28 reserves for per-request and per-result protocol fields.</summary>
internal static class McpMetaKeys
{
    /// <summary>The request's protocol version (required on every modern request).</summary>
    public const string ProtocolVersion = "io.modelcontextprotocol/protocolVersion";

    /// <summary>The client's capabilities relevant to the request (required on every modern request).</summary>
    public const string ClientCapabilities = "io.modelcontextprotocol/clientCapabilities";

    /// <summary>The client's name and version.</summary>
    public const string ClientInfo = "io.modelcontextprotocol/clientInfo";

    /// <summary>The least severe log level the client wants <c>notifications/message</c> for, for this request; none without it.</summary>
    public const string LogLevel = "io.modelcontextprotocol/logLevel";

    /// <summary>The server's name and version, in every result's <c>_meta</c>.</summary>
    public const string ServerInfo = "io.modelcontextprotocol/serverInfo";
}
