using System.Diagnostics;
using System.Text;
using McpLambda.Runtime.Local;
using McpLambda.Runtime.RuntimeApi;

namespace McpLambda.Bench;

/// <summary>
/// For attribution only: the Runtime API round trip with nothing behind it. The runtime's own
/// <see cref="RuntimeApiClient"/> runs in this process as an empty function (next, then post a canned
/// answer at once) against the same emulator; no handler, no bridge, no child. Ours warm minus this is,
/// roughly, what the handler, the bridge and the server add.
/// </summary>
internal static class RuntimeApiOnlyBench
{
    public static async Task<Stats> RunAsync(EchoEvents events, int warmup, int count)
    {
        await using var emulator = RuntimeApiEmulator.Start(TimeSpan.FromSeconds(60));
        using var client = new RuntimeApiClient(emulator.Address);
        using var stop = new CancellationTokenSource();
        var answer = Encoding.UTF8.GetBytes("""{"statusCode":200,"headers":{"Content-Type":"application/json"},"body":"{}","isBase64Encoded":false}""");
        var function = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                var invocation = await client.NextAsync(stop.Token);
                await client.PostResponseAsync(invocation.RequestId, answer, stop.Token);
            }
        });

        var samples = new List<double>(count);
        for (var i = 0; i < warmup + count; i++)
        {
            var (payload, _, _) = events.Next();
            var started = Stopwatch.GetTimestamp();
            var result = await emulator.InvokeAsync(payload);
            var elapsed = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            if (result.FunctionError is not null)
            {
                throw new InvalidOperationException("the empty function failed: " + Encoding.UTF8.GetString(result.Payload));
            }

            if (i >= warmup)
            {
                samples.Add(elapsed);
            }
        }

        stop.Cancel();
        await emulator.DisposeAsync();
        try
        {
            await function.WaitAsync(TimeSpan.FromSeconds(5));
        }
        catch (Exception ex) when (ex is OperationCanceledException or HttpRequestException or IOException or TimeoutException)
        {
            // The long-poll ends with the emulator.
        }

        return new Stats(samples);
    }
}
