using System.Collections.Concurrent;
using System.Reflection;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using McpLambda.Runtime;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;

namespace McpLambda.EndToEnd.Tests;

/// <summary>
/// The C# SDK's client (ModelContextProtocol.Core 2.4.0, which speaks MCP 2026-07-28 and falls back to the handshake)
/// against a function in local mode that wraps the project's legacy test server (<c>node/conformance-server.mjs</c>): it
/// stays modern, and the server's requests to the client come back as multi round-trip requests.
/// </summary>
public sealed class ModernClientTests : IAsyncLifetime
{
    private static readonly string NodeDirectory = Path.Combine(typeof(ModernClientTests).Assembly
        .GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "TestProjectDirectory").Value!, "node");

    private InProcessLocalFunction _function = null!;

    internal static StdioServerOptions LegacyServer => new("node", [Path.Combine(NodeDirectory, "conformance-server.mjs")]) { StartupTimeout = TimeSpan.FromSeconds(30) };

    public async Task InitializeAsync() => _function = await InProcessLocalFunction.StartAsync(LegacyServer, TimeSpan.FromSeconds(30));

    public async Task DisposeAsync() => await _function.DisposeAsync();

    [Fact]
    public async Task The_client_negotiates_2026_07_28_with_one_exchange_before_its_first_tool_call()
    {
        var exchanges = new Exchanges();
        await using var client = await McpClient.CreateAsync(Transport(_function.Url, exchanges));
        var result = await client.CallToolAsync("test_simple_text", new Dictionary<string, object?>());

        Assert.Equal("2026-07-28", client.NegotiatedProtocolVersion);
        Assert.Equal("mcplambda-conformance-server", client.ServerInfo?.Name);
        Assert.Equal("This is a simple text response for testing.", Assert.IsType<TextContentBlock>(Assert.Single(result.Content)).Text);
        var beforeCall = exchanges.Seen.TakeWhile(e => e.Method != "tools/call").ToList();
        Assert.Equal(["POST server/discover 200"], beforeCall.Select(e => e.ToString()));
        Assert.Equal("complete", exchanges.Seen.Single(e => e.Method == "tools/call").Result?["resultType"]?.GetValue<string>());
    }

    [Fact]
    public async Task Test_elicitation_completes_through_an_InputRequiredResult()
    {
        var exchanges = new Exchanges();
        var asked = new List<string>();
        var options = new McpClientOptions
        {
            Handlers = new McpClientHandlers
            {
                ElicitationHandler = (request, _) =>
                {
                    asked.Add(request!.Message);
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
        await using var client = await McpClient.CreateAsync(Transport(_function.Url, exchanges), options);

        var result = await client.CallToolAsync("test_elicitation", new Dictionary<string, object?> { ["message"] = "Who are you?" });

        Assert.Equal(["Who are you?"], asked);
        var text = Assert.IsType<TextContentBlock>(Assert.Single(result.Content)).Text;
        Assert.Contains("action=accept", text);
        Assert.Contains("octocat@example.com", text);
        var calls = exchanges.Seen.Where(e => e.Method == "tools/call").ToList();
        Assert.Equal(2, calls.Count);
        Assert.Equal("input_required", calls[0].Result?["resultType"]?.GetValue<string>());
        Assert.Equal("elicitation/create", calls[0].Result?["inputRequests"]?["input-1"]?["method"]?.GetValue<string>());
        Assert.Equal("complete", calls[1].Result?["resultType"]?.GetValue<string>());
    }

    // Sampling is deprecated in 2026-07-28 (SEP-2577) yet still part of it, and servers still ask for it.
#pragma warning disable MCP9005
    [Fact]
    public async Task Test_sampling_completes_through_an_InputRequiredResult()
    {
        var exchanges = new Exchanges();
        var prompts = new List<string>();
        var options = new McpClientOptions
        {
            Handlers = new McpClientHandlers
            {
                SamplingHandler = (request, _, _) =>
                {
                    prompts.Add(string.Join(" ", request!.Messages.SelectMany(m => m.Content).OfType<TextContentBlock>().Select(t => t.Text)));
                    return ValueTask.FromResult(new CreateMessageResult { Role = Role.Assistant, Model = "test-model", Content = [new TextContentBlock { Text = "Paris" }] });
                },
            },
        };
        await using var client = await McpClient.CreateAsync(Transport(_function.Url, exchanges), options);

        var result = await client.CallToolAsync("test_sampling", new Dictionary<string, object?> { ["prompt"] = "What is the capital of France?" });

        Assert.Equal(["What is the capital of France?"], prompts);
        Assert.Equal("LLM response: Paris", Assert.IsType<TextContentBlock>(Assert.Single(result.Content)).Text);
        var calls = exchanges.Seen.Where(e => e.Method == "tools/call").ToList();
        Assert.Equal(["input_required", "complete"], calls.Select(c => c.Result?["resultType"]?.GetValue<string>()));
        Assert.Equal("sampling/createMessage", calls[0].Result?["inputRequests"]?["input-1"]?["method"]?.GetValue<string>());
    }
#pragma warning restore MCP9005

    internal static HttpClientTransport Transport(Uri url, Exchanges exchanges)
        => new(new HttpClientTransportOptions { Endpoint = url, TransportMode = HttpTransportMode.StreamableHttp },
            new HttpClient(new Recorder(exchanges) { InnerHandler = new SocketsHttpHandler() }), ownsHttpClient: true);

    /// <summary>One HTTP exchange: the method, the MCP method the body names, the status and the JSON-RPC result, if any.</summary>
    internal sealed record Exchange(string HttpMethod, string? Method, int Status, JsonObject? Result)
    {
        public override string ToString() => $"{HttpMethod} {Method} {Status}";
    }

    /// <summary>Every HTTP exchange a client made, in order.</summary>
    internal sealed class Exchanges
    {
        private readonly ConcurrentQueue<Exchange> _seen = new();

        public IReadOnlyList<Exchange> Seen => [.. _seen];

        public void Add(Exchange exchange) => _seen.Enqueue(exchange);
    }

    /// <summary>Records each exchange; the answer's body is read whole (JSON or an event stream) and handed on as it was.</summary>
    private sealed class Recorder(Exchanges exchanges) : DelegatingHandler
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            string? method = null;
            if (request.Content is not null)
            {
                var body = await request.Content.ReadAsStringAsync(cancellationToken);
                method = JsonNode.Parse(body)?["method"]?.GetValue<string>();
            }

            var response = await base.SendAsync(request, cancellationToken);
            var bytes = await response.Content.ReadAsByteArrayAsync(cancellationToken);
            var mediaType = response.Content.Headers.ContentType;
            var headers = response.Content.Headers.ToList();
            exchanges.Add(new Exchange(request.Method.Method, method, (int)response.StatusCode, ResultOf(Encoding.UTF8.GetString(bytes))));
            response.Content = new ByteArrayContent(bytes);
            foreach (var (name, values) in headers)
            {
                response.Content.Headers.TryAddWithoutValidation(name, values);
            }

            return response;
        }

        private static JsonObject? ResultOf(string body)
        {
            var json = body.TrimStart().StartsWith('{') ? body
                : body.Split('\n').Where(l => l.StartsWith("data: ", StringComparison.Ordinal)).Select(l => l[6..]).LastOrDefault();
            try
            {
                return json is null ? null : JsonNode.Parse(json)?["result"] as JsonObject;
            }
            catch (JsonException)
            {
                return null;
            }
        }
    }
}
