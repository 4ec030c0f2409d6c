using McpLambda;

namespace LambdaInvokeFunction;

/// <summary>The MCP "everything" reference server behind the Lambda Invoke API (the event is a JSON-RPC message).</summary>
[McpStdioServer("npx", "--offline", "@modelcontextprotocol/server-everything")]
[McpTransport(McpTransport.LambdaInvoke)]
public partial class LambdaInvokeFunction;
