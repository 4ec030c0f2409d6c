using System.Diagnostics;

namespace McpLambda.Client.Tests;

/// <summary>A sample function started as its own process, as Lambda starts it, against a Runtime API.</summary>
public sealed class SampleProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly List<string> _output = [];

    private SampleProcess(Process process) => _process = process;

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

    public static SampleProcess StartUnderLambda(string sample, string runtimeApi)
    {
        var executable = Path.GetFullPath(Path.Combine(string.Format(TestAws.Metadata("SamplesOutput"), sample), "bootstrap"));
        if (!File.Exists(executable))
        {
            throw new FileNotFoundException("Build the sample first", executable);
        }

        var info = new ProcessStartInfo(executable)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = Path.GetDirectoryName(executable)!,
        };
        info.Environment["AWS_LAMBDA_RUNTIME_API"] = runtimeApi;
        var sampleProcess = new SampleProcess(Process.Start(info)!);
        sampleProcess._process.OutputDataReceived += (_, e) => sampleProcess.OnLine(e.Data);
        sampleProcess._process.ErrorDataReceived += (_, e) => sampleProcess.OnLine(e.Data);
        sampleProcess._process.BeginOutputReadLine();
        sampleProcess._process.BeginErrorReadLine();
        return sampleProcess;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }

    private void OnLine(string? line)
    {
        if (line is not null)
        {
            lock (_output)
            {
                _output.Add(line);
            }
        }
    }
}
