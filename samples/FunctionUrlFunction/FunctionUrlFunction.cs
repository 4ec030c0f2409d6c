using McpLambda;

namespace FunctionUrlFunction;

/// <summary>The MCP "everything" reference server behind a Lambda function URL with AWS_IAM auth (payload format 2.0, SigV4-signed callers).</summary>
[McpStdioServer("npx", "--offline", "@modelcontextprotocol/server-everything")]
[McpTransport(McpTransport.FunctionUrl)]
public partial class FunctionUrlFunction;
