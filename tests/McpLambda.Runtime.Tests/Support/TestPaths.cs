namespace McpLambda.Runtime.Tests.Support;

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
    public static StdioServerOptions EverythingServer(
        IReadOnlyDictionary<string, string>? environment = null,
        bool inheritEnvironment = false)
        => new("node", [EverythingServerEntryPoint, "stdio"])
        {
            EnvironmentVariables = environment ?? new Dictionary<string, string>(),
            InheritEnvironment = inheritEnvironment,
            StartupTimeout = TimeSpan.FromSeconds(20),
        };

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
