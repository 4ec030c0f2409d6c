using System.Text.RegularExpressions;
using McpLambda.Runtime;
using McpLambda.Runtime.Configuration;
using McpLambda.Runtime.EventAdapters;
using McpLambda.Runtime.Local;
using McpLambda.Tests;
using Xunit.Abstractions;

namespace McpLambda.EndToEnd.Tests;

/// <summary>
/// The official MCP conformance suite (<c>@modelcontextprotocol/conformance</c> 0.1.16 from npm, on the Node 22 it needs)
/// against a function that wraps the project's own conformance server (<c>node/conformance-server.mjs</c>, written from
/// the suite's scenario descriptions) over stdio, in local mode with function-URL events (the real runtime loop against
/// the Runtime API emulation), with response streaming and without. The per-scenario table goes to the test output.
/// </summary>
public sealed partial class ConformanceSuiteTests(ITestOutputHelper output, Dynalite dynamo) : IClassFixture<Dynalite>
{
    /// <summary>The scenarios that need the client to answer the server during a call: a buffered answer cannot show it the request in time.</summary>
    private static readonly string[] NeedStreaming =
    [
        "tools-call-sampling",
        "tools-call-elicitation",
        "elicitation-sep1034-defaults",
        "elicitation-sep1330-enums",
    ];

    /// <summary>The file the ConformanceFunction sample's attribute names, in <see cref="NodeDirectory"/>.</summary>
    private const string ServerScript = "conformance-server.mjs";

    private static readonly string NodeDirectory = Path.Combine(NodeScript.ProjectDirectory, "node");

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task The_official_suite_passes_every_scenario_with_streaming_and_all_but_server_to_client_requests_without(bool streaming)
    {
        var port = LocalPort.Free();
        using var stop = new CancellationTokenSource();
        var server = new StdioServerOptions("node", [Path.Combine(NodeDirectory, ServerScript)]) { StartupTimeout = TimeSpan.FromSeconds(30) };
        var settings = McpLambdaSettings.Default with { ResponseStreaming = streaming };
        var function = Task.Run(() => McpLambdaFunction.RunAsync(["--port", port.ToString()], server, FunctionUrlEventAdapter.Instance, settings, stop.Token));
        try
        {
            await LocalPort.WaitForAsync(port, function);
            var results = await RunSuiteAsync(new Uri($"http://127.0.0.1:{port}/mcp"), streaming ? "streamed responses" : "buffered responses");
            Assert.Equal(streaming ? [] : NeedStreaming.Order(), results.Where(r => !r.Value).Select(r => r.Key).Order());
        }
        finally
        {
            stop.Cancel();
            await function;
        }
    }

    /// <summary>
    /// Two execution environments of one function: two processes of the ConformanceFunction sample polling one Runtime
    /// API emulation, one invocation at a time each, as Lambda runs them. While one waits for the client's answer to its
    /// server's request, the answering POST can only go to the other, which stores it in the relay table (dynalite) for
    /// the asker to take. They share nothing else.
    /// </summary>
    [Fact]
    public async Task The_official_suite_passes_every_scenario_across_two_function_processes_with_the_relay()
    {
        await using var lambda = RuntimeApiEmulator.Start(TimeSpan.FromSeconds(60));
        await using var frontDoor = LocalFrontDoor.Start(0, FunctionUrlEventAdapter.Instance, lambda);
        var environment = new Dictionary<string, string>
        {
            // The function's directory holds the conformance server, as a deployment package would.
            ["LAMBDA_TASK_ROOT"] = NodeDirectory,
            ["AWS_LAMBDA_FUNCTION_NAME"] = "conformance",

            // The front door stands in for the function URL over plain http: its origin is one a deployment would list.
            ["MCPLAMBDA_ALLOWED_ORIGINS"] = $"http://{frontDoor.Url.Authority}",
            ["MCPLAMBDA_RELAY_TABLE"] = Dynalite.Table,
            ["MCPLAMBDA_RELAY_POLL_MS"] = "50",
            ["AWS_ENDPOINT_URL_DYNAMODB"] = dynamo.Endpoint.ToString(),
            ["AWS_ACCESS_KEY_ID"] = "local",
            ["AWS_SECRET_ACCESS_KEY"] = "local",
            ["AWS_REGION"] = "us-east-1",
        };
        var environments = new[]
        {
            SampleFunction.StartUnderLambda("ConformanceFunction", lambda.Address, environment),
            SampleFunction.StartUnderLambda("ConformanceFunction", lambda.Address, environment),
        };
        try
        {
            var results = await RunSuiteAsync(frontDoor.Url, "two function processes, streamed, relayed through DynamoDB");
            Assert.Empty(results.Where(r => !r.Value).Select(r => r.Key));

            // The four scenarios that ask the client each needed at least one answer carried across through the table.
            var relayed = environments.Sum(e => e.Output.Split("was stored for the execution environment that asked").Length - 1);
            Assert.True(relayed >= 4, $"answers relayed: {relayed}\n{environments[0].Output}\n{environments[1].Output}");
        }
        finally
        {
            foreach (var function in environments)
            {
                await function.DisposeAsync();
            }
        }
    }

    private async Task<Dictionary<string, bool>> RunSuiteAsync(Uri url, string setup)
    {
        var suite = Path.Combine(NodeScript.ProjectDirectory, "node_modules", "@modelcontextprotocol", "conformance", "dist", "index.js");
        var (_, report) = await CommandLine.RunAsync(NodeScript.Node22, NodeScript.ProjectDirectory, [suite, "server", "--url", url.ToString()], timeout: TimeSpan.FromMinutes(5));
        output.WriteLine(report);
        var results = ScenarioLine().Matches(report).ToDictionary(m => m.Groups["name"].Value, m => m.Groups["mark"].Value == "✓");
        output.WriteLine($"conformance ({setup}): {results.Count(r => r.Value)}/{results.Count} scenarios pass");
        Assert.True(results.Count >= 30, "the suite reported fewer scenarios than it has:\n" + report);
        return results;
    }

    [GeneratedRegex(@"^\s*(?<mark>[✓✗])\s+(?<name>[a-z0-9-]+)", RegexOptions.Multiline)]
    private static partial Regex ScenarioLine();
}
