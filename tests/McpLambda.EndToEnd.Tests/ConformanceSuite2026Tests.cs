using System.Diagnostics;
using System.Reflection;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using McpLambda.Runtime;
using McpLambda.Runtime.Configuration;
using McpLambda.Runtime.EventAdapters;
using McpLambda.Tests;
using Xunit.Abstractions;

namespace McpLambda.EndToEnd.Tests;

/// <summary>
/// The official MCP conformance suite at its newest (<see cref="ConformanceSuite2026"/>) against a function in local
/// mode, streaming, with function-URL events, that wraps the project's dual-era stdio test server
/// (<c>node/dual-era-server.mjs</c>, written from the scenarios' descriptions): every server scenario a revision's
/// frozen requirements file names must pass, one function per revision. The per-scenario table goes to the test output.
/// </summary>
public sealed partial class ConformanceSuite2026Tests(ITestOutputHelper output, ConformanceSuite2026 suite) : IClassFixture<ConformanceSuite2026>
{
    private static readonly string NodeDirectory = Path.Combine(typeof(ConformanceSuite2026Tests).Assembly
        .GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "TestProjectDirectory").Value!, "node");

    /// <summary>Legacy clients (the initialize handshake): the wrapper serves them as it always has.</summary>
    [SkippableFact]
    public Task Every_server_scenario_2025_11_25_requires_passes() => AssertRevisionPassesAsync("2025-11-25", []);

    /// <summary>
    /// Modern clients (stateless requests with per-request _meta, multi round-trip requests), passed through to the modern
    /// child, plus the two header-validation scenarios the suite still calls pending.
    /// </summary>
    [SkippableFact]
    public Task Every_server_scenario_2026_07_28_requires_passes_and_the_header_validation_ones_too()
        => AssertRevisionPassesAsync("2026-07-28", ["http-header-validation", "http-custom-header-server-validation"], AwaitingRuntime2026);

    /// <summary>
    /// What the 2026-07-28 set still needs from the runtime, by feature, with the scenarios that show it: nothing since
    /// modern requests pass through to the modern child (found by its <c>server/discover</c> answer at start).
    /// </summary>
    private static readonly Dictionary<string, string[]> AwaitingRuntime2026 = [];

    /// <summary>
    /// Runs the suite for a revision and requires each of its server scenarios (and <paramref name="alsoRequired"/>) to
    /// pass, except those <paramref name="awaitingRuntime"/> names under the runtime feature they still need: if only
    /// those fail, the test reports Skip naming the features; any other failure fails it.
    /// </summary>
    private async Task AssertRevisionPassesAsync(string revision, string[] alsoRequired, IReadOnlyDictionary<string, string[]>? awaitingRuntime = null)
    {
        Skip.If(suite.SkipReason is not null, suite.SkipReason);
        var installed = await suite.DirectoryAsync();
        var required = ConformanceSuite2026.RequiredServerScenarios(installed, revision).Concat(alsoRequired).ToList();
        Assert.NotEmpty(required);

        var port = LocalPort.Free();
        using var stop = new CancellationTokenSource();
        var server = new StdioServerOptions("node", [Path.Combine(NodeDirectory, "dual-era-server.mjs")]) { StartupTimeout = TimeSpan.FromSeconds(30) };
        var settings = McpLambdaSettings.Default with { ResponseStreaming = true };
        var function = Task.Run(() => McpLambdaFunction.RunAsync(["--port", port.ToString()], server, FunctionUrlEventAdapter.Instance, settings, stop.Token));
        var checks = Directory.CreateTempSubdirectory("conformance-2026-");
        try
        {
            await LocalPort.WaitForAsync(port, function);
            var clock = Stopwatch.StartNew();
            var (_, report) = await CommandLine.RunAsync(
                Path.Combine(installed, "conformance"), installed,
                ["server", "--url", $"http://127.0.0.1:{port}/mcp", "--requirements", revision, "--output-dir", checks.FullName], timeout: TimeSpan.FromMinutes(5));
            var results = SummaryLine().Matches(report).ToDictionary(m => m.Groups["name"].Value, m => (Passed: m.Groups["mark"].Value == "✓", Checks: m.Groups["checks"].Value));

            output.WriteLine($"conformance {revision}, suite 0.2.0-alpha.11, {clock.Elapsed.TotalSeconds:F1} s:");
            foreach (var name in required)
            {
                output.WriteLine(results.TryGetValue(name, out var result) ? $"  {(result.Passed ? "✓" : "✗")} {name}: {result.Checks}" : $"  ? {name}: not run");
                foreach (var failure in result.Passed ? [] : FailedChecks(checks, name))
                {
                    output.WriteLine($"      {failure}");
                }
            }

            var passing = required.Count(name => results.TryGetValue(name, out var result) && result.Passed);
            output.WriteLine($"{passing}/{required.Count} required scenarios pass\n\n{report}");
            var failing = required.Where(name => !results.TryGetValue(name, out var result) || !result.Passed).ToList();
            var awaited = (awaitingRuntime ?? new Dictionary<string, string[]>())
                .Select(feature => (feature.Key, Failing: feature.Value.Intersect(failing).ToList()))
                .Where(feature => feature.Failing.Count > 0)
                .ToList();
            Assert.Empty(failing.Except(awaited.SelectMany(feature => feature.Failing)));
            Skip.If(awaited.Count > 0, "awaiting the runtime: " + string.Join("; ", awaited.Select(feature => $"{feature.Key} ({string.Join(", ", feature.Failing)})")));
        }
        finally
        {
            await stop.CancelAsync();
            await function;
            checks.Delete(recursive: true);
        }
    }

    /// <summary>The failed checks of a scenario, from the checks.json the suite wrote for it (in a folder named after it).</summary>
    private static IEnumerable<string> FailedChecks(DirectoryInfo checks, string scenario)
        => checks.EnumerateDirectories($"server-{scenario}-*")
            .Select(run => Path.Combine(run.FullName, "checks.json"))
            .Where(File.Exists)
            .SelectMany(file => JsonNode.Parse(File.ReadAllText(file))!.AsArray())
            .Where(check => (string?)check!["status"] == "FAILURE")
            .Select(check => $"{check!["id"]}: {check["errorMessage"]}");

    [GeneratedRegex(@"^(?<mark>[✓✗]) (?<name>[a-z0-9-]+): (?<checks>\d+ passed, \d+ failed)", RegexOptions.Multiline)]
    private static partial Regex SummaryLine();
}
