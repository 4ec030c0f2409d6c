using McpLambda.Runtime;

namespace McpLambda.AgentCore.Tests.Support;

/// <summary>Where the repository and the wrapped test server are, found from the test assembly.</summary>
internal static class TestPaths
{
    private static readonly Lazy<string> Root = new(FindRepoRoot);

    public static string RepoRoot => Root.Value;

    /// <summary>The entry point of the real <c>@modelcontextprotocol/server-everything</c> npm package.</summary>
    public static string EverythingServerEntryPoint
    {
        get
        {
            var path = Path.Combine(RepoRoot, "samples", "EverythingFunction", "node_modules", "@modelcontextprotocol", "server-everything", "dist", "index.js");
            if (!File.Exists(path))
            {
                throw new InvalidOperationException($"{path} is missing: run 'npm ci' in samples/EverythingFunction first.");
            }

            return path;
        }
    }

    /// <summary>Options that start server-everything over stdio with node.</summary>
    public static StdioServerOptions EverythingServer() => new("node", [EverythingServerEntryPoint, "stdio"])
    {
        StartupTimeout = TimeSpan.FromSeconds(20),
    };

    /// <summary>The client context AgentCore Gateway sends, with the tool name replaced by <paramref name="gatewayToolName"/>.</summary>
    public static string ClientContext(string gatewayToolName)
    {
        var context = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fixtures", "agentcore-client-context.json")))!;
        context["custom"]!["bedrockAgentCoreToolName"] = gatewayToolName;
        return context.ToJsonString();
    }

    private static string FindRepoRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "McpLambda.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException($"No McpLambda.sln above {AppContext.BaseDirectory}.");
    }
}
