using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

// Two tools: echo, and env (a variable of the server's environment, or "(unset)").
var options = new McpServerOptions
{
    ServerInfo = new Implementation { Name = "csharp-echo", Version = "1.0.0" },
    ToolCollection =
    [
        McpServerTool.Create((string message) => "Echo from C#: " + message, new McpServerToolCreateOptions { Name = "echo", Description = "Echoes the message back" }),
        McpServerTool.Create((string name) => Environment.GetEnvironmentVariable(name) ?? "(unset)", new McpServerToolCreateOptions { Name = "env", Description = "A variable of the server's environment" }),
    ],
};

await using var server = McpServer.Create(new StdioServerTransport("csharp-echo"), options);
await server.RunAsync();
