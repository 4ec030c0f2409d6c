using McpLambda;

namespace ConformanceFunction;

/// <summary>
/// The project's own server for the official MCP conformance suite (<c>tests/McpLambda.EndToEnd.Tests/node/conformance-server.mjs</c>)
/// behind a streaming function URL, with the DynamoDB relay. The server is found in the function's directory
/// (<c>LAMBDA_TASK_ROOT</c>), so the tests point that at the folder that holds it.
/// </summary>
[McpStdioServer("node", "conformance-server.mjs", StartupTimeoutSeconds = 30)]
[McpTransport(McpTransport.FunctionUrl)]
public partial class ConformanceFunction;
