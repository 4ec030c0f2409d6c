using McpLambda.Runtime.Configuration;
using ModelContextProtocol.Client;

namespace McpLambda.Runtime.Bridge;

/// <summary>Turns <see cref="StdioServerOptions"/> into the SDK's process settings: paths resolved, environment minimised.</summary>
internal static class StdioProcessSettings
{
    public static StdioClientTransportOptions Create(StdioServerOptions options, Action<string> stderrLine)
    {
        var environment = options.InheritEnvironment ? new Dictionary<string, string?>() : StdioClientTransportOptions.GetDefaultEnvironmentVariables();
        if (!options.InheritEnvironment)
        {
            // Lambda sets no HOME and only /tmp is writable; npm, npx and uvx need a home for their caches.
            if (!environment.TryGetValue("HOME", out var home) || string.IsNullOrEmpty(home))
            {
                environment["HOME"] = Path.GetTempPath().TrimEnd('/');
            }
        }

        PutBundledToolsFirst(environment, FunctionDirectory(options));
        foreach (var (key, value) in options.EnvironmentVariables)
        {
            environment[key] = value;
        }

        var workingDirectory = ResolveWorkingDirectory(options);
        var (command, arguments) = (options.ResolveNpx ? NpxPackageCommand.Resolve(options.Command, options.Arguments, workingDirectory) : null)
            ?? (options.Command, options.Arguments);
        return new StdioClientTransportOptions
        {
            Command = ResolveCommand(command, environment),
            Arguments = [.. arguments],
            WorkingDirectory = workingDirectory,
            InheritEnvironmentVariables = options.InheritEnvironment,
            EnvironmentVariables = environment,
            StandardErrorLines = stderrLine,
            ShutdownTimeout = TimeSpan.FromSeconds(2),
            Name = options.Command,
        };
    }

    /// <summary>
    /// The package's own <c>bin</c> folder (where <c>McpLambdaBundleNode</c> puts node on <c>provided.al2023</c>, which has
    /// none) comes first on the server's PATH.
    /// </summary>
    private static void PutBundledToolsFirst(Dictionary<string, string?> environment, string functionDirectory)
    {
        var bundled = Path.Combine(functionDirectory, "bin");
        if (!Directory.Exists(bundled))
        {
            return;
        }

        var path = environment.TryGetValue("PATH", out var fromOptions) && !string.IsNullOrEmpty(fromOptions)
            ? fromOptions
            : Environment.GetEnvironmentVariable("PATH");
        environment["PATH"] = string.IsNullOrEmpty(path) ? bundled : bundled + Path.PathSeparator + path;
    }

    /// <summary>
    /// A bare command name is looked up on the PATH the server gets, not the function's own: the process API resolves
    /// names with the parent's PATH, which would miss a bundled node.
    /// </summary>
    private static string ResolveCommand(string command, Dictionary<string, string?> environment)
    {
        if (command.Contains('/', StringComparison.Ordinal) || !environment.TryGetValue("PATH", out var path) || string.IsNullOrEmpty(path))
        {
            return command;
        }

        return path.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(directory => Path.Combine(directory, command))
            .FirstOrDefault(File.Exists) ?? command;
    }

    /// <summary>
    /// Relative directories are taken from the function's own directory: <c>LAMBDA_TASK_ROOT</c> in
    /// Lambda, the executable's directory elsewhere, so a package laid out beside the bootstrap works
    /// wherever it is unpacked.
    /// </summary>
    public static string ResolveWorkingDirectory(StdioServerOptions options)
    {
        var root = FunctionDirectory(options);
        return string.IsNullOrEmpty(options.WorkingDirectory) ? root : Path.GetFullPath(Path.Combine(root, options.WorkingDirectory));
    }

    private static string FunctionDirectory(StdioServerOptions options) => options.FunctionDirectory ?? McpLambdaSettings.Default.FunctionDirectory;
}
