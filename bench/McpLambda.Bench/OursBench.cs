using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using McpLambda.Runtime.Local;

namespace McpLambda.Bench;

/// <summary>One start of our Native AOT bootstrap under a fresh Runtime API emulator, as Lambda starts it.</summary>
internal sealed record OursRun(
    double ReadyForNextMs,
    double FirstResponseMs,
    double? RuntimeReadyMs,
    double? ServerReadyMs,
    Stats? Requests,
    long? AdapterRss,
    long? ChildrenRss,
    string ChildrenNames);

/// <summary>
/// Ours: the published bootstrap of samples/EverythingFunction, started with AWS_LAMBDA_RUNTIME_API pointing
/// at a <see cref="RuntimeApiEmulator"/> in this process. Every request is a full round trip: the emulator
/// hands the event to the function's <c>next</c> long-poll, the generated handler translates it, the
/// bridge writes it to the child and reads the answer, and the function posts the response back.
/// </summary>
internal static partial class OursBench
{
    private static readonly LambdaInvokeOptions Invoke = new(Timeout: TimeSpan.FromSeconds(60), FunctionArn: "arn:aws:lambda:us-east-1:123456789012:function:bench-ours");

    /// <param name="functionDirectory">The published function (its <c>bootstrap</c>).</param>
    /// <param name="events">The events sent, one per request.</param>
    /// <param name="perInvocation">Whether the function starts a server per invocation instead of keeping one warm.</param>
    /// <param name="warmup">Requests sent first and not timed.</param>
    /// <param name="count">Requests timed.</param>
    /// <param name="stubDirectory">
    /// When set, put first on PATH: its <c>npx</c> answers initialize at once and nothing else, so the run
    /// only measures process start to the first <c>next</c> (no request is sent).
    /// </param>
    /// <param name="issuer">When set, the function requires OAuth tokens from it (the events must carry one).</param>
    /// <param name="extraEnvironment">Variables set (or, null, removed) on top of the rest.</param>
    public static async Task<OursRun> RunAsync(string functionDirectory, EchoEvents events, bool perInvocation, int warmup, int count, string? stubDirectory = null, string? issuer = null,
        IReadOnlyDictionary<string, string?>? extraEnvironment = null)
    {
        await using var emulator = RuntimeApiEmulator.Start(TimeSpan.FromSeconds(60));
        var environment = new Dictionary<string, string?>
        {
            ["AWS_LAMBDA_RUNTIME_API"] = emulator.Address,
            ["MCPLAMBDA_SERVER_LIFETIME"] = perInvocation ? "PerInvocation" : null,
            ["AWS_LAMBDA_MAX_CONCURRENCY"] = null,
            ["LAMBDA_TASK_ROOT"] = null,
            ["MCPLAMBDA_OAUTH_ISSUER"] = issuer,
            ["MCPLAMBDA_OAUTH_SCOPES"] = issuer is null ? null : "mcp:tools",
        };
        foreach (var (name, value) in extraEnvironment ?? new Dictionary<string, string?>())
        {
            environment[name] = value;
        }

        if (stubDirectory is not null)
        {
            environment["PATH"] = stubDirectory + Path.PathSeparator + Environment.GetEnvironmentVariable("PATH");
            // The stub stands in for npx itself, so the function must start npx rather than the installed package with node.
            environment["MCPLAMBDA_RESOLVE_NPX"] = "false";
        }

        await using var function = ChildProcess.Start(Path.Combine(functionDirectory, "bootstrap"), [], functionDirectory, environment, keepStderrMarker: "init:");
        if (stubDirectory is not null)
        {
            await Task.WhenAny(emulator.FirstNext, emulator.InitError).WaitAsync(TimeSpan.FromSeconds(30));
            if (emulator.InitError.IsCompleted)
            {
                throw new InvalidOperationException($"the function failed its init with the stub server: {await emulator.InitError}\nstderr:\n{function.StderrTail}");
            }

            var ready = await emulator.FirstNext;
            var (up, stubReady) = ParseInit(function.KeptStderr);
            return new OursRun((ready - function.StartedWall).TotalMilliseconds, double.NaN, up, stubReady, null, ProcFs.ResidentBytes(function.Pid), null, "");
        }

        // The first event is already waiting when the function first asks, as on a cold Lambda invoke.
        var (payload, id, message) = events.Next();
        var first = await emulator.InvokeAsync(payload, Invoke);
        var firstResponseMs = function.SinceStart(Stopwatch.GetTimestamp());
        Expect(first, id, message, function);
        var readyForNextMs = (await emulator.FirstNext - function.StartedWall).TotalMilliseconds;
        var (runtimeReady, serverReady) = ParseInit(function.KeptStderr);

        Stats? requests = null;
        if (count > 0)
        {
            var samples = new List<double>(count);
            for (var i = 0; i < warmup + count; i++)
            {
                (payload, id, message) = events.Next();
                var started = Stopwatch.GetTimestamp();
                var result = await emulator.InvokeAsync(payload, Invoke);
                var elapsed = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
                Expect(result, id, message, function);
                if (i >= warmup)
                {
                    samples.Add(elapsed);
                }
            }

            requests = new Stats(samples);
        }

        var children = ProcFs.Descendants(function.Pid);
        var childrenRss = children.Sum(pid => ProcFs.ResidentBytes(pid) ?? 0);
        var names = string.Join(" + ", children.Select(ProcFs.Name).Where(n => n.Length > 0));
        return new OursRun(readyForNextMs, firstResponseMs, runtimeReady, serverReady, requests, ProcFs.ResidentBytes(function.Pid), children.Count > 0 ? childrenRss : null, names);
    }

    private static void Expect(LambdaInvocationResult result, int id, string message, ChildProcess function)
    {
        if (result.FunctionError is { } error)
        {
            throw new InvalidOperationException($"the function failed ({error}): {System.Text.Encoding.UTF8.GetString(result.Payload)}\nstderr:\n{function.StderrTail}");
        }

        EchoEvents.Check(result.Payload, id, message);
    }

    /// <summary>Reads the bootstrap's own init log line: runtime ready N ms after process start; MCP server … ready after M ms.</summary>
    private static (double? RuntimeReady, double? ServerReady) ParseInit(IReadOnlyList<string> lines)
    {
        foreach (var line in lines)
        {
            var match = InitLine().Match(line);
            if (match.Success)
            {
                return (double.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture), double.Parse(match.Groups[2].Value, CultureInfo.InvariantCulture));
            }
        }

        return (null, null);
    }

    [GeneratedRegex(@"runtime ready (\d+) ms after process start;.* ready after (\d+) ms")]
    private static partial Regex InitLine();
}
