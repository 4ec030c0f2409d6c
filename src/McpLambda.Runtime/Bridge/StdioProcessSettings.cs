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

        foreach (var (key, value) in options.EnvironmentVariables)
        {
            environment[key] = value;
        }

        return new StdioClientTransportOptions
        {
            Command = options.Command,
            Arguments = [.. options.Arguments],
            WorkingDirectory = ResolveWorkingDirectory(options),
            InheritEnvironmentVariables = options.InheritEnvironment,
            EnvironmentVariables = environment,
            StandardErrorLines = stderrLine,
            ShutdownTimeout = TimeSpan.FromSeconds(2),
            Name = options.Command,
        };
    }

    /// <summary>
    /// Relative directories are taken from the function's own directory: <c>LAMBDA_TASK_ROOT</c> in
    /// Lambda, the executable's directory elsewhere, so a package laid out beside the bootstrap works
    /// wherever it is unpacked.
    /// </summary>
    public static string ResolveWorkingDirectory(StdioServerOptions options)
    {
        var root = options.FunctionDirectory ?? McpLambdaSettings.Default.FunctionDirectory;
        return string.IsNullOrEmpty(options.WorkingDirectory) ? root : Path.GetFullPath(Path.Combine(root, options.WorkingDirectory));
    }
}
