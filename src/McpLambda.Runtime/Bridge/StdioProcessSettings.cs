using System.Diagnostics;
using System.Text;
using ModelContextProtocol.Client;

namespace McpLambda.Runtime.Bridge;

/// <summary>Turns <see cref="StdioServerOptions"/> into the child's start settings: paths resolved, environment minimised, all three streams redirected.</summary>
internal static class StdioProcessSettings
{
    public static ProcessStartInfo Create(StdioServerOptions options) => Create(options, Environment.GetEnvironmentVariable);

    /// <summary>The start settings, reading the function's environment through <paramref name="parent"/>.</summary>
    internal static ProcessStartInfo Create(StdioServerOptions options, Func<string, string?> parent)
    {
        var environment = options.InheritEnvironment ? new Dictionary<string, string?>() : StdioClientTransportOptions.GetDefaultEnvironmentVariables();
        if (!options.InheritEnvironment)
        {
            ServerEnvironment.AddPassedThrough(environment, parent, options.PassEnvironment);

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
        var utf8 = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false);
        var startInfo = new ProcessStartInfo(ResolveCommand(command, environment), arguments)
        {
            WorkingDirectory = workingDirectory,
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            StandardInputEncoding = utf8,
            StandardOutputEncoding = utf8,
            StandardErrorEncoding = utf8,
        };
        if (!options.InheritEnvironment)
        {
            startInfo.Environment.Clear();
        }

        foreach (var (key, value) in environment)
        {
            startInfo.Environment[key] = value;
        }

        return startInfo;
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

    private static string FunctionDirectory(StdioServerOptions options) => options.FunctionDirectory ?? AppContext.BaseDirectory;
}
