using System.Security.Cryptography;
using System.Text.Json;
using McpLambda.Runtime.EventAdapters;
using McpLambda.Runtime.Local;
using McpLambda.Tests;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;

namespace McpLambda.EndToEnd.Tests;

/// <summary>
/// The C# SDK 2.4.0 client (MCP 2026-07-28) and two execution environments of one function, as Lambda runs them: two
/// processes of the ConformanceFunction sample (the project's legacy test server), each under its own Runtime API
/// emulation behind its own function URL front door, sharing only <c>MCPLAMBDA_REQUEST_STATE_KEY</c>. The client's first
/// call reaches the first environment and gets an InputRequiredResult; its retry is forced into the second, which runs
/// the call again on its own server and answers that server's question from the retry.
/// </summary>
public sealed class ModernClientAcrossEnvironmentsTests
{
    [Fact]
    public async Task Test_elicitation_asked_in_one_environment_completes_in_the_other()
    {
        var environment = new Dictionary<string, string>
        {
            // The function's directory holds the conformance server, as a deployment package would.
            ["LAMBDA_TASK_ROOT"] = Path.Combine(NodeScript.ProjectDirectory, "node"),
            ["MCPLAMBDA_REQUEST_STATE_KEY"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)),
        };
        await using var firstLambda = RuntimeApiEmulator.Start(TimeSpan.FromSeconds(60));
        await using var secondLambda = RuntimeApiEmulator.Start(TimeSpan.FromSeconds(60));
        await using var firstDoor = LocalFrontDoor.Start(0, FunctionUrlEventAdapter.Instance, firstLambda);
        await using var secondDoor = LocalFrontDoor.Start(0, FunctionUrlEventAdapter.Instance, secondLambda);
        await using var first = SampleFunction.StartUnderLambda("ConformanceFunction", firstLambda.Address, environment);
        await using var second = SampleFunction.StartUnderLambda("ConformanceFunction", secondLambda.Address, environment);

        var router = new Router(firstDoor.Url);
        var asked = new List<string>();
        var options = new McpClientOptions
        {
            Handlers = new McpClientHandlers
            {
                ElicitationHandler = (request, _) =>
                {
                    asked.Add(request!.Message);

                    // The client answers between the two calls: from now on its requests land in the other environment.
                    router.Target = secondDoor.Url;
                    return ValueTask.FromResult(new ElicitResult
                    {
                        Action = "accept",
                        Content = new Dictionary<string, JsonElement>
                        {
                            ["username"] = JsonSerializer.SerializeToElement("octocat"),
                            ["email"] = JsonSerializer.SerializeToElement("octocat@example.com"),
                        },
                    });
                },
            },
        };
        var transport = new HttpClientTransport(
            new HttpClientTransportOptions { Endpoint = firstDoor.Url, TransportMode = HttpTransportMode.StreamableHttp },
            new HttpClient(router), ownsHttpClient: true);
        await using var client = await McpClient.CreateAsync(transport, options);

        var result = await client.CallToolAsync("test_elicitation", new Dictionary<string, object?> { ["message"] = "Who are you?" });

        Assert.Equal("2026-07-28", client.NegotiatedProtocolVersion);
        Assert.Equal(["Who are you?"], asked);
        Assert.Contains("octocat@example.com", Assert.IsType<TextContentBlock>(Assert.Single(result.Content)).Text);
        Assert.Equal([firstDoor.Url.Authority, secondDoor.Url.Authority], router.ToolCalls);
    }

    /// <summary>Sends each request to the front door of <see cref="Target"/>, and notes where each <c>tools/call</c> went.</summary>
    private sealed class Router(Uri target) : DelegatingHandler(new SocketsHttpHandler())
    {
        public Uri Target { get; set; } = target;

        public List<string> ToolCalls { get; } = [];

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            request.RequestUri = new UriBuilder(request.RequestUri!) { Host = Target.Host, Port = Target.Port }.Uri;
            if (request.Content is not null && (await request.Content.ReadAsStringAsync(cancellationToken)).Contains("\"tools/call\"", StringComparison.Ordinal))
            {
                lock (ToolCalls)
                {
                    ToolCalls.Add(request.RequestUri.Authority);
                }
            }

            return await base.SendAsync(request, cancellationToken);
        }
    }
}
