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
        var transport = new StdioClientTransport(new StdioClientTransportOptions
        {
            Name = "floor",
            Command = command,
            Arguments = arguments,
            WorkingDirectory = workingDirectory,
        });
        await using var client = await McpClient.CreateAsync(transport);
        var samples = new List<double>(count);
        for (var i = 0; i < warmup + count; i++)
        {
            var message = $"floor {i}";
            var started = Stopwatch.GetTimestamp();
            var result = await client.CallToolAsync("echo", new Dictionary<string, object?> { ["message"] = message });
            var elapsed = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            if (result.IsError == true || result.Content.OfType<TextContentBlock>().FirstOrDefault()?.Text.Contains(message, StringComparison.Ordinal) != true)
            {
                throw new InvalidOperationException($"unexpected echo result for '{message}'");
            }

            if (i >= warmup)
            {
                samples.Add(elapsed);
            }
        }

        return new Stats(samples);
    }
}
