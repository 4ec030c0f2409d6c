using McpLambda;

namespace EverythingFunction;

/// <summary>
/// The MCP "everything" reference server behind API Gateway (REST API, Lambda proxy integration).
/// The generator adds Main: under Lambda it runs the custom runtime; locally it serves http://127.0.0.1:8080/mcp.
/// </summary>
[McpStdioServer("npx", "--offline", "@modelcontextprotocol/server-everything")]
[McpTransport(McpTransport.ApiGateway)]
public partial class EverythingFunction;
