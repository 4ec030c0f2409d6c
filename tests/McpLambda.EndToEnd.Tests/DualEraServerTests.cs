using System.Diagnostics;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;

namespace McpLambda.EndToEnd.Tests;

/// <summary>
/// The project's dual-era stdio test server (<c>node/dual-era-server.mjs</c>) on its own, without the runtime: the wire
/// of the 2026-07-28 stdio binding line by line, and the C# SDK client (which speaks both eras) against it, so the
/// server the 2026 conformance runs wrap is known to be right whatever the function in front of it does.
/// </summary>
public sealed class DualEraServerTests
{
    private const string Version = "2026-07-28";

    private static readonly string NodeDirectory = Path.Combine(typeof(DualEraServerTests).Assembly
        .GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "TestProjectDirectory").Value!, "node");

    private static JsonObject Meta(JsonObject? capabilities = null) => new()
    {
        ["io.modelcontextprotocol/protocolVersion"] = Version,
        ["io.modelcontextprotocol/clientCapabilities"] = capabilities ?? [],
        ["io.modelcontextprotocol/clientInfo"] = new JsonObject { ["name"] = "dual-era-test", ["version"] = "1.0.0" },
    };

    [Fact]
    public async Task Server_discover_and_a_modern_tools_call_answer_statelessly_with_result_type_and_server_info()
    {
        await using var server = StdioLines.Start(NodeDirectory, "dual-era-server.mjs");

        var discover = await server.RequestAsync("server/discover", new JsonObject { ["_meta"] = Meta() });
        Assert.Equal("complete", (string?)discover["result"]!["resultType"]);
        Assert.Equal([Version], discover["result"]!["supportedVersions"]!.AsArray().Select(v => (string?)v));
        Assert.NotNull(discover["result"]!["capabilities"]!["tools"]);
        Assert.Equal("mcplambda-dual-era-server", (string?)discover["result"]!["_meta"]!["io.modelcontextprotocol/serverInfo"]!["name"]);
        Assert.True((int)discover["result"]!["ttlMs"]! >= 0);

        var call = await server.RequestAsync("tools/call", new JsonObject { ["name"] = "test_simple_text", ["arguments"] = new JsonObject(), ["_meta"] = Meta() });
        Assert.Equal("complete", (string?)call["result"]!["resultType"]);
        Assert.Equal("This is a simple text response for testing.", (string?)call["result"]!["content"]![0]!["text"]);
    }

    [Fact]
    public async Task A_question_for_the_client_is_an_input_required_result_whose_sealed_state_the_retry_must_echo_unaltered()
    {
        await using var server = StdioLines.Start(NodeDirectory, "dual-era-server.mjs");
        JsonObject Call(JsonObject? responses = null, string? state = null)
        {
            var call = new JsonObject
            {
                ["name"] = "test_input_required_result_multi_round",
                ["arguments"] = new JsonObject(),
                ["_meta"] = Meta(new JsonObject { ["elicitation"] = new JsonObject() }),
            };
            if (responses is not null)
            {
                call["inputResponses"] = responses;
            }

            if (state is not null)
            {
                call["requestState"] = state;
            }

            return call;
        }

        JsonObject Accept(string field, string value) => new() { ["action"] = "accept", ["content"] = new JsonObject { [field] = value } };

        var first = (await server.RequestAsync("tools/call", Call()))["result"]!;
        Assert.Equal("input_required", (string?)first["resultType"]);
        Assert.Equal("elicitation/create", (string?)first["inputRequests"]!["step1"]!["method"]);
        var state = (string)first["requestState"]!;

        var second = (await server.RequestAsync("tools/call", Call(new JsonObject { ["step1"] = Accept("name", "Alice") }, state)))["result"]!;
        Assert.Equal("input_required", (string?)second["resultType"]);
        Assert.NotNull(second["inputRequests"]!["step2"]);

        var tampered = await server.RequestAsync("tools/call", Call(new JsonObject { ["step2"] = Accept("color", "blue") }, (string)second["requestState"]! + "x"));
        Assert.Equal(-32602, (int)tampered["error"]!["code"]!);

        // The first round's state on the third round: it verifies, but does not carry step1's answer, so it is asked again.
        var stale = (await server.RequestAsync("tools/call", Call(new JsonObject { ["step2"] = Accept("color", "blue") }, state)))["result"]!;
        Assert.Equal("input_required", (string?)stale["resultType"]);
        Assert.NotNull(stale["inputRequests"]!["step1"]);

        var last = (await server.RequestAsync("tools/call", Call(new JsonObject { ["step2"] = Accept("color", "blue") }, (string)second["requestState"]!)))["result"]!;
        Assert.Equal("complete", (string?)last["resultType"]);
        Assert.Equal("Alice likes blue", (string?)last["content"]![0]!["text"]);

        var undeclared = await server.RequestAsync("tools/call", new JsonObject { ["name"] = "test_missing_capability", ["arguments"] = new JsonObject(), ["_meta"] = Meta() });
        Assert.Equal(-32021, (int)undeclared["error"]!["code"]!);
        Assert.NotNull(undeclared["error"]!["data"]!["requiredCapabilities"]!["sampling"]);
    }

    [Fact]
    public async Task Malformed_and_legacy_only_requests_get_the_errors_a_modern_probe_expects_and_initialize_opens_the_legacy_era()
    {
        await using var server = StdioLines.Start(NodeDirectory, "dual-era-server.mjs");

        Assert.Equal(-32602, (int)(await server.RequestAsync("server/discover", new JsonObject()))["error"]!["code"]!);
        var meta = Meta();
        meta["io.modelcontextprotocol/protocolVersion"] = "1900-01-01";
        var unsupported = (await server.RequestAsync("server/discover", new JsonObject { ["_meta"] = meta }))["error"]!;
        Assert.Equal(-32022, (int)unsupported["code"]!);
        Assert.Equal("1900-01-01", (string?)unsupported["data"]!["requested"]);
        Assert.Equal(-32601, (int)(await server.RequestAsync("ping", new JsonObject { ["_meta"] = Meta() }))["error"]!["code"]!);
        Assert.Equal(-32602, (int)(await server.RequestAsync("tools/list", new JsonObject()))["error"]!["code"]!);

        var initialize = await server.RequestAsync("initialize", new JsonObject
        {
            ["protocolVersion"] = "2025-11-25",
            ["capabilities"] = new JsonObject(),
            ["clientInfo"] = new JsonObject { ["name"] = "legacy-test", ["version"] = "1.0.0" },
        });
        Assert.Equal("2025-11-25", (string?)initialize["result"]!["protocolVersion"]);
        await server.NotifyAsync("notifications/initialized");
        var legacyTools = (await server.RequestAsync("tools/list", new JsonObject()))["result"]!;
        Assert.Null(legacyTools["resultType"]);
        Assert.Contains("test_reconnection", legacyTools["tools"]!.AsArray().Select(t => (string?)t!["name"]));

        // Both eras in one process: a modern request after the handshake is still served statelessly.
        var modernTools = (await server.RequestAsync("tools/list", new JsonObject { ["_meta"] = Meta() }))["result"]!;
        Assert.Equal("complete", (string?)modernTools["resultType"]);
        Assert.DoesNotContain("test_reconnection", modernTools["tools"]!.AsArray().Select(t => (string?)t!["name"]));
    }

    [Fact]
    public async Task The_csharp_sdk_client_negotiates_2026_07_28_over_stdio_and_answers_an_input_required_result_with_its_elicitation_handler()
    {
        var asked = new List<string>();
        await using var client = await ConnectAsync(null, (request, _) =>
        {
            asked.Add(request!.Message);
            return ValueTask.FromResult(new ElicitResult { Action = "accept", Content = new Dictionary<string, JsonElement> { ["name"] = JsonSerializer.SerializeToElement("Alice") } });
        });

        Assert.Equal(Version, client.NegotiatedProtocolVersion);
        Assert.Equal("mcplambda-dual-era-server", client.ServerInfo?.Name);
        var result = await client.CallToolAsync("test_input_required_result_elicitation");
        Assert.Equal("Hello, Alice!", Assert.IsType<TextContentBlock>(Assert.Single(result.Content)).Text);
        Assert.Equal(["What is your name?"], asked);
    }

    [Fact]
    public async Task The_csharp_sdk_client_held_to_2025_11_25_gets_the_legacy_era_with_real_server_to_client_requests()
    {
        var asked = new List<string>();
        await using var client = await ConnectAsync("2025-11-25", (request, _) =>
        {
            asked.Add(request!.Message);
            return ValueTask.FromResult(new ElicitResult
            {
                Action = "accept",
                Content = new Dictionary<string, JsonElement>
                {
                    ["username"] = JsonSerializer.SerializeToElement("alice"),
                    ["email"] = JsonSerializer.SerializeToElement("alice@example.com"),
                },
            });
        });

        Assert.Equal("2025-11-25", client.NegotiatedProtocolVersion);
        var result = await client.CallToolAsync("test_elicitation", new Dictionary<string, object?> { ["message"] = "Who are you?" });
        Assert.Equal("User response: action=accept, content={\"username\":\"alice\",\"email\":\"alice@example.com\"}",
            Assert.IsType<TextContentBlock>(Assert.Single(result.Content)).Text);
        Assert.Equal(["Who are you?"], asked);
    }

    private static Task<McpClient> ConnectAsync(string? protocolVersion, Func<ElicitRequestParams?, CancellationToken, ValueTask<ElicitResult>> elicit)
        => McpClient.CreateAsync(
            new StdioClientTransport(new StdioClientTransportOptions
            {
                Command = "node",
                Arguments = [Path.Combine(NodeDirectory, "dual-era-server.mjs")],
                WorkingDirectory = NodeDirectory,
            }),
            new McpClientOptions { ProtocolVersion = protocolVersion, Handlers = new McpClientHandlers { ElicitationHandler = elicit } });

    /// <summary>A child process spoken to one JSON-RPC message per line, as the stdio binding says.</summary>
    private sealed class StdioLines : IAsyncDisposable
    {
        private readonly Process _process;
        private int _nextId;

        private StdioLines(Process process) => _process = process;

        public static StdioLines Start(string directory, string script)
        {
            var info = new ProcessStartInfo("node", [script])
            {
                WorkingDirectory = directory,
                RedirectStandardInput = true,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            };
            var process = Process.Start(info)!;
            process.ErrorDataReceived += (_, _) => { };
            process.BeginErrorReadLine();
            return new StdioLines(process);
        }

        public async Task NotifyAsync(string method) => await WriteAsync(new JsonObject { ["jsonrpc"] = "2.0", ["method"] = method });

        /// <summary>Sends a request and reads lines until its response (notifications on the way are skipped).</summary>
        public async Task<JsonObject> RequestAsync(string method, JsonObject @params)
        {
            var id = ++_nextId;
            await WriteAsync(new JsonObject { ["jsonrpc"] = "2.0", ["id"] = id, ["method"] = method, ["params"] = @params });
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
            while (true)
            {
                var line = await _process.StandardOutput.ReadLineAsync(timeout.Token) ?? throw new EndOfStreamException("the server closed its output");
                var message = JsonNode.Parse(line)!.AsObject();
                if (message["id"] is JsonValue value && value.TryGetValue<int>(out var answered) && answered == id)
                {
                    return message;
                }
            }
        }

        private async Task WriteAsync(JsonObject message)
        {
            await _process.StandardInput.WriteLineAsync(message.ToJsonString());
            await _process.StandardInput.FlushAsync();
        }

        public async ValueTask DisposeAsync()
        {
            _process.StandardInput.Close();
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            try
            {
                await _process.WaitForExitAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                _process.Kill(entireProcessTree: true);
            }

            _process.Dispose();
        }
    }
}
