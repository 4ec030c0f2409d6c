using McpLambda;

namespace McpLambdaSample;

/// <summary>
/// SERVER_DISPLAY_NAME as an AWS Lambda function. The generator adds Main: under Lambda it answers the Runtime API;
/// run locally (`dotnet run`), it serves the function on http://127.0.0.1:8080/mcp for any MCP client.
/// </summary>
#if (pythonHost)
[McpStdioServer("SERVER_COMMAND_LINE", EnvironmentVariables = ["PYTHONPATH=python"])]
#else
[McpStdioServer("SERVER_COMMAND_LINE")]
#endif
[McpTransport(McpTransport.TRANSPORT_KIND)]
public partial class McpLambdaSampleFunction;
