using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using McpLambda.Runtime;
using McpLambda.Runtime.Configuration;
using McpLambda.Runtime.EventAdapters;
using McpLambda.Tests;
using Xunit.Abstractions;

namespace McpLambda.EndToEnd.Tests;

/// <summary>
/// The official MCP conformance suite (<c>@modelcontextprotocol/conformance</c>) against a function that wraps the suite's
/// own reference server over stdio, in local mode with function-URL events (the real runtime loop against the Runtime
/// API emulation), with response streaming and without. The per-scenario table goes to the test output.
/// </summary>
public sealed partial class ConformanceSuiteTests(ITestOutputHelper output)
{
    /// <summary>The scenarios that need the client to answer the server during a call: a buffered answer cannot show it the request in time.</summary>
    private static readonly string[] NeedStreaming =
    [
        "tools-call-sampling",
        "tools-call-elicitation",
        "elicitation-sep1034-defaults",
        "elicitation-sep1330-enums",
    ];

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task The_official_suite_passes_every_scenario_with_streaming_and_all_but_server_to_client_requests_without(bool streaming)
    {
        var fixture = await BuildFixtureAsync();
        var port = FreePort();
        using var stop = new CancellationTokenSource();
        var server = new StdioServerOptions(Path.Combine(fixture, "node"), [Path.Combine(fixture, "server.mjs")]) { StartupTimeout = TimeSpan.FromSeconds(30) };
        var settings = McpLambdaSettings.Default with { ResponseStreaming = streaming };
        var function = Task.Run(() => McpLambdaFunction.RunAsync(["--port", port.ToString()], server, FunctionUrlEventAdapter.Instance, settings, stop.Token));
        try
        {
            await WaitForPortAsync(port, function);
            var (_, report) = await CommandLine.RunAsync(Path.Combine(fixture, "conformance"), fixture, ["server", "--url", $"http://127.0.0.1:{port}/mcp"], timeout: TimeSpan.FromMinutes(5));
            output.WriteLine(report);

            var results = ScenarioLine().Matches(report).ToDictionary(m => m.Groups["name"].Value, m => m.Groups["mark"].Value == "✓");
            output.WriteLine($"conformance ({(streaming ? "streamed" : "buffered")} responses): {results.Count(r => r.Value)}/{results.Count} scenarios pass");
            Assert.True(results.Count >= 30, "the suite reported fewer scenarios than it has:\n" + report);
            Assert.Equal(streaming ? [] : NeedStreaming.Order(), results.Where(r => !r.Value).Select(r => r.Key).Order());
        }
        finally
        {
            stop.Cancel();
            await function;
            Directory.Delete(fixture, recursive: true);
        }
    }

    [GeneratedRegex(@"^\s*(?<mark>[✓✗])\s+(?<name>[a-z0-9-]+)", RegexOptions.Multiline)]
    private static partial Regex ScenarioLine();

    private static async Task<string> BuildFixtureAsync()
    {
        var script = Path.GetFullPath(Path.Combine(TestRepository.RootDirectory, "..", "shared", "fixtures", "mcp-conformance-server", "build.sh"));
        Assert.True(File.Exists(script), $"The conformance fixture is missing: {script}");
        var directory = Directory.CreateTempSubdirectory("mcplambda-conformance-").FullName;
        var (exitCode, log) = await CommandLine.RunAsync("bash", directory, [script, directory], timeout: TimeSpan.FromMinutes(5));
        Assert.True(exitCode == 0, log);
        return directory;
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static async Task WaitForPortAsync(int port, Task<int> function)
    {
        for (var i = 0; i < 300 && !function.IsCompleted; i++)
        {
            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync(IPAddress.Loopback, port);
                return;
            }
            catch (SocketException)
            {
                await Task.Delay(100);
            }
        }

        throw new InvalidOperationException("the function did not start serving: " + (function.IsCompleted ? $"it ended with {function.Result}" : "timed out"));
    }
}
