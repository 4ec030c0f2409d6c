using System.Diagnostics;
using System.Reflection;

namespace McpLambda.Tests;

/// <summary>A sample function started as its own process, the way a user or Lambda starts it.</summary>
public sealed class SampleFunction : IAsyncDisposable
{
    private readonly Process _process;
    private readonly List<string> _output = [];
    private readonly TaskCompletionSource<Uri> _url = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>What local mode prints before its URL: an MCP endpoint, or the stand-in for an AgentCore Gateway.</summary>
    private static readonly string[] UrlMarkers = ["serving MCP on ", "serving the AgentCore Lambda target on "];

    private SampleFunction(Process process)
    {
        _process = process;
    }

    /// <summary>Everything the process wrote so far, stdout and stderr.</summary>
    public string Output
    {
        get
        {
            lock (_output)
            {
                return string.Join('\n', _output);
            }
        }
    }

    public Process Process => _process;

    public static string Executable(string sample)
    {
        var template = typeof(SampleFunction).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "SamplesOutput").Value!;
        var path = Path.GetFullPath(Path.Combine(string.Format(template, sample), "bootstrap"));
        return File.Exists(path) ? path : throw new FileNotFoundException("Build the sample first", path);
    }

    /// <summary>Starts <paramref name="sample"/> in local mode on a free port and waits for its URL.</summary>
    public static async Task<(SampleFunction Function, Uri Url)> StartLocalAsync(string sample, IDictionary<string, string>? environment = null)
    {
        var function = Start(sample, ["--port", "0"], environment);
        return (function, await function.WaitForUrlAsync(TimeSpan.FromSeconds(60)).ConfigureAwait(false));
    }

    /// <summary>The URL the function serves in local mode, once it says so.</summary>
    public Task<Uri> WaitForUrlAsync(TimeSpan timeout) => _url.Task.WaitAsync(timeout);

    /// <summary>Starts <paramref name="sample"/> as Lambda would, against the Runtime API at <paramref name="runtimeApi"/>.</summary>
    public static SampleFunction StartUnderLambda(string sample, string runtimeApi, IDictionary<string, string>? environment = null)
    {
        var env = new Dictionary<string, string>(environment ?? new Dictionary<string, string>()) { ["AWS_LAMBDA_RUNTIME_API"] = runtimeApi };
        return Start(sample, [], env);
    }

    /// <summary>Runs <paramref name="sample"/> in local mode with <paramref name="args"/> until it exits by itself.</summary>
    public static async Task<(int ExitCode, string Output)> RunToExitAsync(string sample, params string[] args)
    {
        await using var function = Start(sample, args, null);
        await function._process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
        function._process.WaitForExit();
        return (function._process.ExitCode, function.Output);
    }

    private static SampleFunction Start(string sample, string[] args, IDictionary<string, string>? environment)
        => StartProcess(Executable(sample), args, environment, Path.GetDirectoryName(Executable(sample))!);

    /// <summary>
    /// Starts <paramref name="command"/> (a function's bootstrap, or <c>dotnet run</c>) in <paramref name="directory"/>;
    /// <see cref="WaitForUrlAsync"/> waits for the URL it serves in local mode.
    /// </summary>
    public static SampleFunction StartProcess(string command, string[] args, IDictionary<string, string>? environment, string directory)
    {
        var info = new ProcessStartInfo(command)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = directory,
        };
        args.ToList().ForEach(info.ArgumentList.Add);
        info.Environment.Remove("AWS_LAMBDA_RUNTIME_API");
        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            info.Environment[key] = value;
        }

        var function = new SampleFunction(Process.Start(info)!);
        function._process.OutputDataReceived += (_, e) => function.OnLine(e.Data);
        function._process.ErrorDataReceived += (_, e) => function.OnLine(e.Data);
        function._process.BeginOutputReadLine();
        function._process.BeginErrorReadLine();
        function._process.EnableRaisingEvents = true;
        function._process.Exited += (_, _) => function._url.TrySetException(new InvalidOperationException("The function exited early:\n" + function.Output));
        return function;
    }

    private void OnLine(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.Add(line);
        }

        foreach (var marker in UrlMarkers)
        {
            var at = line.IndexOf(marker, StringComparison.Ordinal);
            if (at >= 0)
            {
                _url.TrySetResult(new Uri(line[(at + marker.Length)..].Split(' ', 2)[0].Trim()));
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync().ConfigureAwait(false);
        }

        _process.Dispose();
    }
}
