using System.Text.Json;
using CsCheck;
using McpLambda.Runtime.Local;
using McpLambda.Runtime.RuntimeApi;
using Xunit.Abstractions;

namespace McpLambda.Runtime.Tests.Fuzzing;

/// <summary>
/// Property-based fuzzing of the streamed response between the runtime (<see cref="RuntimeApiResponseStream"/>) and
/// the Runtime API emulation, over real loopback connections: generated writes (any bytes, NULs and CRLFs included,
/// empty ones too), then a clean end or an error with any type and message. What arrives must be exactly the bytes
/// written, in order, and the end must carry the same error type (as a trailer can carry it) and message.
/// </summary>
public sealed class StreamedResponseFuzzTests(ITestOutputHelper output)
{
    private const int Cases = 1000;

    private static readonly Gen<string> AnyText = Gen.String[Gen.Char, 0, 80];

    private static readonly Gen<StreamCase> Case =
        from writes in Gen.Frequency((6, Gen.Byte.Array[0, 64]), (1, Gen.Byte.Array[1000, 70_000])).List[0, 12]
        from fails in Gen.Frequency((3, Gen.Const(false)), (1, Gen.Const(true)))
        from errorType in Gen.Frequency((3, Gen.String[Gen.Char["ABCxyz.09_"], 1, 30]), (1, AnyText))
        from message in AnyText
        select new StreamCase(writes, fails ? (errorType, message) : null);

    [Fact]
    public async Task Every_streamed_write_arrives_in_order_and_every_end_says_how_it_ended()
    {
        await using var emulator = RuntimeApiEmulator.Start(TimeSpan.FromSeconds(30));
        using var client = new RuntimeApiClient(emulator.Address);
        var bytes = 0L;
        var failed = 0;

        // One invocation at a time, as one environment takes them: the cases share the emulation and the client's connections.
        await Case.SampleSeededAsync(async c =>
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
            var invoke = emulator.InvokeAsync("{}"u8.ToArray(), cancellationToken: timeout.Token);
            var invocation = await client.NextAsync(timeout.Token);
            await using (var response = client.OpenResponseStream(invocation.RequestId, "application/octet-stream"))
            {
                foreach (var write in c.Writes)
                {
                    await response.WriteAsync(write, timeout.Token);
                }

                await (c.Error is var (type, message) ? response.FailAsync(type, message, timeout.Token) : response.CompleteAsync(timeout.Token));
            }

            var streamed = (await invoke).Streamed ?? throw new InvalidOperationException("the response was not streamed");
            var received = new List<byte>();
            await foreach (var chunk in streamed.Chunks.ReadAllAsync(timeout.Token))
            {
                received.AddRange(chunk);
            }

            var end = await streamed.End;
            Assert.Equal(c.Writes.SelectMany(w => w).ToArray(), received.ToArray());
            Assert.Equal(received.Count, end.Bytes);
            if (c.Error is var (errorType, errorMessage))
            {
                Assert.Equal(RuntimeApiClient.ErrorTypeValue(errorType), end.ErrorType);
                using var document = JsonDocument.Parse(end.ErrorBody!);
                Assert.Equal(errorMessage, document.RootElement.GetProperty("errorMessage").GetString());
                failed++;
            }
            else
            {
                Assert.Null(end.ErrorType);
            }

            bytes += received.Count;
        }, SeededSampling.Seeds("streamed responses", Cases), threads: 1);

        output.WriteLine($"{Cases} streamed responses, {failed} ended with an error in the trailers, {bytes:N0} bytes");
    }

    private sealed record StreamCase(List<byte[]> Writes, (string Type, string Message)? Error)
    {
        public override string ToString()
            => $"writes of {string.Join(",", Writes.Select(w => w.Length))} bytes, {(Error is var (t, m) ? $"failing with '{t}': '{m}'" : "completing")}";
    }
}
