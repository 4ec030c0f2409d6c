using System.Diagnostics;
using McpLambda.Runtime.Local;

namespace McpLambda.Bench;

/// <summary>
/// Calls per second of one concurrent run: <paramref name="Calls"/> answered in <paramref name="Seconds"/> of wall clock,
/// and the CPU seconds each process spent meanwhile: the driver (the client, or the Runtime API emulator and its
/// callers), the adapter (our bootstrap; none for the floor) and the wrapped server.
/// </summary>
internal sealed record Throughput(int Calls, double Seconds, double DriverCpu, double AdapterCpu, double ServerCpu)
{
    public double PerSecond => Calls / Seconds;

    /// <summary>CPU milliseconds per call of the driver, the adapter and the server.</summary>
    public (double Driver, double Adapter, double Server) CpuPerCall => (DriverCpu * 1000 / Calls, AdapterCpu * 1000 / Calls, ServerCpu * 1000 / Calls);
}

/// <summary>
/// Throughput with several calls in flight at once into one warm server. The floor is the C# SDK client making that
/// many concurrent calls on one stdio session; ours is the AOT bootstrap with <c>AWS_LAMBDA_MAX_CONCURRENCY</c> set,
/// so that as many invocation loops take invocations from the Runtime API emulator at once and multiplex them over
/// one server. Each side's workers keep exactly <c>concurrency</c> calls in flight until the count is reached.
/// </summary>
internal static class ConcurrencyBench
{
    private static readonly LambdaInvokeOptions Invoke = new(Timeout: TimeSpan.FromSeconds(60), FunctionArn: "arn:aws:lambda:us-east-1:123456789012:function:bench-ours");

    public static async Task<Throughput> FloorAsync(string command, IList<string> arguments, string workingDirectory, int concurrency, int warmup, int count)
    {
        await using var client = await FloorBench.ConnectAsync("floor-concurrent", command, arguments, workingDirectory);
        Task CallAsync(int i) => FloorBench.EchoAsync(client, $"floor {i}");

        await TimeAsync(concurrency, warmup, CallAsync, adapterPid: null);
        return await TimeAsync(concurrency, count, CallAsync, adapterPid: null);
    }

    public static async Task<Throughput> OursAsync(string functionDirectory, EchoEvents events, int concurrency, int warmup, int count, bool metrics = false)
    {
        await using var emulator = RuntimeApiEmulator.Start(TimeSpan.FromSeconds(60));
        var environment = new Dictionary<string, string?>
        {
            ["AWS_LAMBDA_RUNTIME_API"] = emulator.Address,
            ["AWS_LAMBDA_MAX_CONCURRENCY"] = concurrency.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["MCPLAMBDA_SERVER_LIFETIME"] = null,
            ["LAMBDA_TASK_ROOT"] = null,
            ["MCPLAMBDA_METRICS"] = metrics ? "on" : null,
        };
        await using var function = ChildProcess.Start(Path.Combine(functionDirectory, "bootstrap"), [], functionDirectory, environment);

        // The events exist before the clock starts, as Lambda's service has its event serialized before the function asks.
        var prepared = Enumerable.Range(0, Math.Max(warmup, count) + 1).Select(_ => events.Next()).ToArray();
        async Task CallAsync(int i)
        {
            var (payload, id, message) = prepared[i];
            var result = await emulator.InvokeAsync(payload, Invoke);
            if (result.FunctionError is { } error)
            {
                throw new InvalidOperationException($"the function failed ({error}): {System.Text.Encoding.UTF8.GetString(result.Payload)}\nstderr:\n{function.StderrTail}");
            }

            EchoEvents.Check(result.Payload, id, message);
        }

        await TimeAsync(concurrency, warmup, CallAsync, function.Pid);
        return await TimeAsync(concurrency, count, CallAsync, function.Pid);
    }

    /// <summary>Runs <paramref name="count"/> calls on <paramref name="concurrency"/> workers, each taking the next call as its last one ends.</summary>
    private static async Task<Throughput> TimeAsync(int concurrency, int count, Func<int, Task> call, int? adapterPid)
    {
        // The server is the node process below the driver (the floor) or below the adapter (ours).
        using var driver = Process.GetCurrentProcess();
        var servers = ProcFs.Descendants(adapterPid ?? driver.Id).Where(pid => ProcFs.Name(pid) == "node").ToList();
        double Cpu(IEnumerable<int> pids) => pids.Sum(ProcFs.CpuSeconds);
        var driverBefore = driver.TotalProcessorTime.TotalSeconds;
        var adapterBefore = adapterPid is { } a ? ProcFs.CpuSeconds(a) : 0;
        var serverBefore = Cpu(servers);
        var next = 0;
        var started = Stopwatch.GetTimestamp();
        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(_ => Task.Run(async () =>
        {
            for (var i = Interlocked.Increment(ref next); i <= count; i = Interlocked.Increment(ref next))
            {
                await call(i);
            }
        })));
        var seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
        driver.Refresh();
        return new Throughput(count, seconds, driver.TotalProcessorTime.TotalSeconds - driverBefore,
            adapterPid is { } pid ? ProcFs.CpuSeconds(pid) - adapterBefore : 0, Cpu(servers) - serverBefore);
    }
}
