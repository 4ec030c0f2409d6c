using McpLambda;

namespace AgentCoreFunction;

/// <summary>
/// The MCP "everything" reference server as a Lambda target of an Amazon Bedrock AgentCore Gateway: the
/// gateway speaks MCP to clients and invokes this function once per tool call, with the tool's arguments
/// as the event and the tool's name in the client context.
/// The generator adds Main: under Lambda it runs the custom runtime; <c>--export-agentcore-schema FILE</c>
/// writes the target's tool schema; otherwise it serves the local stand-in for the gateway on
/// http://127.0.0.1:8080/mcp.
/// </summary>
[McpStdioServer("npx", "--offline", "@modelcontextprotocol/server-everything")]
[McpTransport(McpTransport.BedrockAgentCoreGateway)]
public partial class AgentCoreFunction;
