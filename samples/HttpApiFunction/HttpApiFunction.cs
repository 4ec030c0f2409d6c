using McpLambda;

namespace HttpApiFunction;

/// <summary>The MCP "everything" reference server behind API Gateway HTTP API (payload format 2.0).</summary>
[McpStdioServer("npx", "--offline", "@modelcontextprotocol/server-everything")]
[McpTransport(McpTransport.HttpApi)]
public partial class HttpApiFunction;
