using System.Diagnostics;
using System.Threading.Channels;

namespace McpLambda.Bench;

/// <summary>
/// A process the driver starts (the bootstrap or the reference's node script): its stdout lines as they
/// arrive, each stamped on the driver's clock, the tail of its stderr, and the instant just before start.
/// </summary>
internal sealed class ChildProcess : IAsyncDisposable
{
    private readonly Channel<(string Line, long Timestamp)> _lines = Channel.CreateUnbounded<(string, long)>();
    private readonly Queue<string> _stderr = new();
    private readonly List<string> _kept = [];

    private ChildProcess(Process process, long started, DateTimeOffset startedWall)
    {
        Process = process;
        Started = started;
        StartedWall = startedWall;
    }

    public Process Process { get; }

    /// <summary><see cref="Stopwatch.GetTimestamp"/> taken just before <see cref="Process.Start()"/>.</summary>
    public long Started { get; }

    /// <summary>The wall clock taken just before <see cref="Process.Start()"/>.</summary>
    public DateTimeOffset StartedWall { get; }

    public int Pid => Process.Id;

    public string StderrTail
    {
        get
        {
            lock (_stderr)
            {
                return string.Join('\n', _stderr);
            }
        }
    }

    /// <summary>The stderr lines that contained the marker given to <see cref="Start"/>.</summary>
    public IReadOnlyList<string> KeptStderr
    {
        get
        {
            lock (_stderr)
            {
                return [.. _kept];
            }
        }
    }

    public static ChildProcess Start(string fileName, IEnumerable<string> arguments, string workingDirectory, IDictionary<string, string?> environment, bool redirectStdin = false, string? keepStderrMarker = null)
    {
        var info = new ProcessStartInfo(fileName)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = redirectStdin,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        foreach (var (key, value) in environment)
        {
            if (value is null)
            {
                info.Environment.Remove(key);
            }
            else
            {
                info.Environment[key] = value;
            }
        }

        var process = new Process { StartInfo = info };
        var wall = DateTimeOffset.UtcNow;
        var started = Stopwatch.GetTimestamp();
        process.Start();
        var child = new ChildProcess(process, started, wall);
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null)
            {
                child._lines.Writer.TryComplete();
            }
            else
            {
                child._lines.Writer.TryWrite((e.Data, Stopwatch.GetTimestamp()));
            }
        };
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is { } line)
            {
                lock (child._stderr)
                {
                    if (keepStderrMarker is not null && line.Contains(keepStderrMarker, StringComparison.Ordinal))
                    {
                        child._kept.Add(line);
                    }

                    child._stderr.Enqueue(line);
                    while (child._stderr.Count > 40)
                    {
                        child._stderr.Dequeue();
                    }
                }
            }
        };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return child;
    }

    /// <summary>The next stdout line and when it arrived, or null when stdout ended.</summary>
    public async Task<(string Line, long Timestamp)?> ReadLineAsync(TimeSpan timeout)
    {
        using var limit = new CancellationTokenSource(timeout);
        try
        {
            return await _lines.Reader.ReadAsync(limit.Token).ConfigureAwait(false);
        }
        catch (ChannelClosedException)
        {
            return null;
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"no output from {Process.StartInfo.FileName} within {timeout.TotalSeconds} s; stderr:\n{StderrTail}");
        }
    }

    /// <summary>Milliseconds from just before the start to <paramref name="timestamp"/>.</summary>
    public double SinceStart(long timestamp) => Stopwatch.GetElapsedTime(Started, timestamp).TotalMilliseconds;

    /// <summary>Ends the process and everything it started.</summary>
    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!Process.HasExited)
            {
                Process.Kill(entireProcessTree: true);
            }

            using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            await Process.WaitForExitAsync(limit.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is InvalidOperationException or OperationCanceledException or System.ComponentModel.Win32Exception)
        {
            // Already gone, or it would not die in time: nothing more to do for a benchmark.
        }

        Process.Dispose();
    }
}
