using McpLambda.Runtime.Local;
using McpLambda.Tests;

namespace McpLambda.Package.Tests;

/// <summary>
/// A function's deployment package as Lambda unpacks it: `dotnet publish -c Release`, then the zip unzipped into a
/// task root of its own, started as the custom runtime or as a managed runtime's exec wrapper.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
internal sealed class DeployedFunction : IDisposable
{
    /// <summary>Lambda's PATH on every runtime after the runtime's own /var/lang/bin.</summary>
    private const string LambdaSystemPath = "/usr/local/bin:/usr/bin/:/bin:/opt/bin";

    private DeployedFunction(string taskRoot, string publishLog)
    {
        TaskRoot = taskRoot;
        PublishLog = publishLog;
    }

    public string TaskRoot { get; }

    public string PublishLog { get; }

    public static async Task<DeployedFunction> PublishAsync(UserWorkspace user, string project, params string[] properties)
    {
        var (published, log) = await user.DotnetAsync(project, ["publish", "-c", "Release", .. properties]);
        Assert.True(published == 0, log);
        Assert.DoesNotContain("warning", log, StringComparison.OrdinalIgnoreCase);

        var zip = Path.Combine(project, "bin", "lambda", Path.GetFileName(project) + ".zip");
        var root = Directory.CreateTempSubdirectory("mcplambda-task-").FullName;
        var (unzipped, unzipLog) = await CommandLine.RunAsync("unzip", root, ["-q", zip]);
        Assert.True(unzipped == 0, unzipLog);
        Assert.True(File.GetUnixFileMode(Path.Combine(root, "bootstrap")).HasFlag(UnixFileMode.UserExecute), "bootstrap must be executable");
        return new DeployedFunction(root, log);
    }

    /// <summary>
    /// <c>provided.al2023</c>: Lambda runs the bootstrap itself. By default the machine's PATH stands in for a layer's
    /// /opt/bin; <paramref name="path"/> "/opt/bin" leaves nothing but the package itself (no node, no python).
    /// </summary>
    public SampleFunction StartAsCustomRuntime(RuntimeApiEmulator lambda, string? path = null)
        => SampleFunction.StartProcess(
            Path.Combine(TaskRoot, "bootstrap"), [], Environment(lambda, path ?? LambdaSystemPath + ":" + System.Environment.GetEnvironmentVariable("PATH")), TaskRoot);

    /// <summary>
    /// A managed runtime with <c>AWS_LAMBDA_EXEC_WRAPPER=/var/task/bootstrap</c>: Lambda starts
    /// <c>bootstrap &lt;interpreter&gt; &lt;runtime args…&gt;</c> with the runtime's PATH, /var/lang/bin first.
    /// Here /var/lang/bin is a folder of links to the machine's node, npx and python. <paramref name="variables"/> are the
    /// function's own (its configuration).
    /// </summary>
    public SampleFunction StartAsExecWrapper(RuntimeApiEmulator lambda, string runtime, IReadOnlyDictionary<string, string>? variables = null)
    {
        var langBin = Directory.CreateDirectory(Path.Combine(TaskRoot + "-lang", "bin")).FullName;
        foreach (var (link, command) in new[] { ("node", "node"), ("npx", "npx"), ("python", "python3"), ("python3", "python3") })
        {
            if (ResolveOnPath(command) is { } target && !File.Exists(Path.Combine(langBin, link)))
            {
                File.CreateSymbolicLink(Path.Combine(langBin, link), target);
            }
        }

        string[] runtimeArgs = runtime switch
        {
            "nodejs22.x" => ["/var/lang/bin/node", "--expose-gc", "--max-http-header-size=81920", "/var/runtime/index.mjs"],
            "python3.13" => ["/var/lang/bin/python3.13", "/var/runtime/bootstrap.py"],
            _ => throw new ArgumentOutOfRangeException(nameof(runtime), runtime, "not a managed runtime"),
        };
        var environment = Environment(lambda, langBin + ":" + LambdaSystemPath);
        environment["AWS_LAMBDA_EXEC_WRAPPER"] = "/var/task/bootstrap";
        environment["AWS_EXECUTION_ENV"] = "AWS_Lambda_" + runtime;
        environment["LAMBDA_RUNTIME_DIR"] = "/var/runtime";
        environment["_HANDLER"] = "bootstrap";
        foreach (var (name, value) in variables ?? new Dictionary<string, string>())
        {
            environment[name] = value;
        }

        return SampleFunction.StartProcess(Path.Combine(TaskRoot, "bootstrap"), runtimeArgs, environment, TaskRoot);
    }

    private Dictionary<string, string> Environment(RuntimeApiEmulator lambda, string path) => new()
    {
        ["AWS_LAMBDA_RUNTIME_API"] = lambda.Address,
        ["LAMBDA_TASK_ROOT"] = TaskRoot,
        ["PATH"] = path,
    };

    /// <summary>The real file behind a command (version managers put scripts on PATH that need their own environment).</summary>
    private static string? ResolveOnPath(string command)
    {
        if (command.StartsWith("python", StringComparison.Ordinal))
        {
            var (exit, output) = CommandLine.RunAsync(command, "/", ["-c", "import sys; print(sys.executable)"]).GetAwaiter().GetResult();
            return exit == 0 ? output.Trim() : null;
        }

        return System.Environment.GetEnvironmentVariable("PATH")!.Split(':')
            .Select(directory => Path.Combine(directory, command))
            .Where(File.Exists)
            .Select(path => new FileInfo(path).ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? path)
            .FirstOrDefault();
    }

    public void Dispose()
    {
        Directory.Delete(TaskRoot, recursive: true);
        if (Directory.Exists(TaskRoot + "-lang"))
        {
            Directory.Delete(TaskRoot + "-lang", recursive: true);
        }
    }
}
