using McpLambda;

namespace ConformanceFunction;

/// <summary>
/// The official MCP conformance suite's reference server (built by <c>../shared/fixtures/mcp-conformance-server/build.sh</c>)
/// behind a streaming function URL, with the DynamoDB relay. The server is found in the function's directory
/// (<c>LAMBDA_TASK_ROOT</c>), so the tests point that at the built fixture.
/// </summary>
[McpStdioServer("node", "server.mjs", StartupTimeoutSeconds = 30)]
[McpTransport(McpTransport.FunctionUrl)]
public partial class ConformanceFunction;
