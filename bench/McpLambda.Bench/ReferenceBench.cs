using System.Text.Json;

namespace McpLambda.Bench;

/// <summary>One start of the reference's driver script (bench/reference/drive.mjs).</summary>
internal sealed record ReferenceRun(double ImportedMs, double FirstResponseMs, Stats? Requests, long? AdapterRss);

/// <summary>
/// The reference: <c>@aws/run-mcp-servers-with-aws-lambda</c>'s API Gateway handler, imported and called
/// in-process by a node script with the same event JSON; the script times each call and prints it.
/// </summary>
internal static class ReferenceBench
{
    private static readonly TimeSpan LineTimeout = TimeSpan.FromSeconds(60);

    /// <param name="referenceDirectory">Where the reference package is installed.</param>
    /// <param name="eventFile">The event JSON sent with each call.</param>
    /// <param name="server"><c>npx</c> (as our sample) or <c>node</c> (the server's index.js straight).</param>
    /// <param name="cold">Answer one event right after the import and report process start → import, → first response.</param>
    /// <param name="count">Calls timed.</param>
    public static async Task<ReferenceRun> RunAsync(string referenceDirectory, string eventFile, string server, bool cold, int count)
    {
        string[] arguments = cold
            ? ["drive.mjs", "--event", eventFile, "--server", server, "--cold"]
            : ["drive.mjs", "--event", eventFile, "--server", server, "--count", count.ToString(System.Globalization.CultureInfo.InvariantCulture), "--warmup", "1"];
        var environment = new Dictionary<string, string?> { ["LOG_LEVEL"] = null, ["NODE_OPTIONS"] = null };
        await using var node = ChildProcess.Start("node", arguments, referenceDirectory, environment, redirectStdin: true);

        double? importedMs = null, firstResponseMs = null;
        var samples = new List<double>();
        long? rss = null;
        while (await node.ReadLineAsync(LineTimeout) is { } entry)
        {
            using var line = JsonDocument.Parse(entry.Line);
            var kind = line.RootElement.GetProperty("kind").GetString();
            switch (kind)
            {
                case "imported":
                    importedMs = node.SinceStart(entry.Timestamp);
                    break;
                case "request":
                    firstResponseMs ??= node.SinceStart(entry.Timestamp);
                    samples.Add(line.RootElement.GetProperty("ms").GetDouble());
                    break;
                case "done":
                    // Read while it is alive: the reference has already stopped its server (no child left).
                    rss = ProcFs.ResidentBytes(node.Pid);
                    node.Process.StandardInput.Close();
                    break;
            }
        }

        await node.Process.WaitForExitAsync();
        if (node.Process.ExitCode != 0 || importedMs is null || firstResponseMs is null || samples.Count == 0)
        {
            throw new InvalidOperationException($"the reference script failed (exit {node.Process.ExitCode}); stderr:\n{node.StderrTail}");
        }

        return new ReferenceRun(importedMs.Value, firstResponseMs.Value, cold ? null : new Stats(samples), rss);
    }
}
