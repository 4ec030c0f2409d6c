using System.Diagnostics;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;

namespace McpLambda.Bench;

/// <summary>
/// The floor: one persistent MCP C# SDK session over stdio straight to the server, no Lambda anywhere.
/// Nothing that wraps a stdio server can answer faster than its own client talking to it directly.
/// </summary>
internal static class FloorBench
{
    public static async Task<Stats> RunAsync(string command, IList<string> arguments, string workingDirectory, int warmup, int count)
    {
        await using var client = await ConnectAsync("floor", command, arguments, workingDirectory);
        var samples = new List<double>(count);
        for (var i = 0; i < warmup + count; i++)
        {
            var started = Stopwatch.GetTimestamp();
            await EchoAsync(client, $"floor {i}");
            var elapsed = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            if (i >= warmup)
            {
                samples.Add(elapsed);
            }
        }

        return new Stats(samples);
    }

    /// <summary>
    /// The floor's cold start: from just before the server process starts to its first <c>echo</c> answer, through the
    /// SDK client's own handshake (<c>initialize</c>), as a function's first response needs both.
    /// </summary>
    public static async Task<double> ColdAsync(string command, IList<string> arguments, string workingDirectory)
    {
        var started = Stopwatch.GetTimestamp();
        await using var client = await ConnectAsync("floor-cold", command, arguments, workingDirectory);
        await EchoAsync(client, "floor cold");
        return Stopwatch.GetElapsedTime(started).TotalMilliseconds;
    }

    /// <summary>One persistent SDK session over stdio to the server <paramref name="command"/> starts.</summary>
    public static Task<McpClient> ConnectAsync(string name, string command, IList<string> arguments, string workingDirectory)
        => McpClient.CreateAsync(new StdioClientTransport(new StdioClientTransportOptions
        {
            Name = name,
            Command = command,
            Arguments = arguments,
            WorkingDirectory = workingDirectory,
        }));

    /// <summary>Calls <c>echo</c> and checks that the answer echoes <paramref name="message"/>.</summary>
    public static async Task EchoAsync(McpClient client, string message)
    {
        var result = await client.CallToolAsync("echo", new Dictionary<string, object?> { ["message"] = message });
        if (result.IsError == true || result.Content.OfType<TextContentBlock>().FirstOrDefault()?.Text.Contains(message, StringComparison.Ordinal) != true)
        {
            throw new InvalidOperationException($"unexpected echo result for '{message}'");
        }
    }
}
