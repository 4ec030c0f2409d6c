using McpLambda.Runtime;

namespace McpLambda.Tests;

/// <summary>Where the repository and the wrapped test server are, found from the test assembly (shared by the test projects).</summary>
internal static class TestRepository
{
    private static readonly Lazy<string> Root = new(FindRoot);

    public static string RootDirectory => Root.Value;

    /// <summary>The entry point of the real <c>@modelcontextprotocol/server-everything</c> npm package.</summary>
    public static string EverythingServerEntryPoint
    {
        get
        {
            var path = Path.Combine(RootDirectory, "samples", "EverythingFunction", "node_modules", "@modelcontextprotocol", "server-everything", "dist", "index.js");
            return File.Exists(path) ? path : throw new InvalidOperationException($"{path} is missing: run 'npm ci' in samples/EverythingFunction first.");
        }
    }

    /// <summary>Options that start server-everything over stdio with node.</summary>
    public static StdioServerOptions EverythingServer(IReadOnlyDictionary<string, string>? environment = null, bool inheritEnvironment = false)
        => new("node", [EverythingServerEntryPoint, "stdio"])
        {
            EnvironmentVariables = environment ?? new Dictionary<string, string>(),
            InheritEnvironment = inheritEnvironment,
            StartupTimeout = TimeSpan.FromSeconds(20),
        };

    private static string FindRoot()
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
