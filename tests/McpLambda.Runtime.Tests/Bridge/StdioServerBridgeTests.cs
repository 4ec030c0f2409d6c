using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using McpLambda.Runtime.Bridge;
using McpLambda.Runtime.JsonRpc;
using McpLambda.Runtime.Protocol;
using McpLambda.Tests;
using ModelContextProtocol.Protocol;

namespace McpLambda.Runtime.Tests.Bridge;

/// <summary>The stdio bridge against real child processes: server-everything, and commands that fail.</summary>
public sealed class StdioServerBridgeTests(EverythingServerFixture server) : IClassFixture<EverythingServerFixture>
{
    // Generous: a fresh server-everything on a machine busy with other suites can take many seconds to start and to
    // read a 12 MB line; these tests are about outcomes, never about speed.
    private static readonly TimeSpan TestTimeout = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task Echo_is_answered_under_the_callers_id()
    {
        var answer = await CallToolAsync(server.Bridge, new RequestId("bridge-echo"), "echo", new JsonObject { ["message"] = "straight through" });

        var response = Assert.IsType<JsonRpcResponse>(answer);
        Assert.Equal(new RequestId("bridge-echo"), response.Id);
        Assert.Equal("Echo: straight through", ToolText(response));
    }

    [Fact]
    public async Task Concurrent_requests_each_get_their_own_answer_under_their_own_id()
    {
        var requests = Enumerable.Range(0, 50).Select(async i =>
        {
            // Both id kinds, and ids that collide with the ones the bridge gives the child (small numbers).
            var id = i % 2 == 0 ? new RequestId(i) : new RequestId($"call-{i}");
            var answer = i % 3 == 0
                ? await CallToolAsync(server.Bridge, id, "get-sum", new JsonObject { ["a"] = i, ["b"] = 1000 })
                : await CallToolAsync(server.Bridge, id, "echo", new JsonObject { ["message"] = $"message {i}" });
            return (i, id, answer);
        });

        var results = await Task.WhenAll(requests);

        foreach (var (i, id, answer) in results)
        {
            var response = Assert.IsType<JsonRpcResponse>(answer);
            Assert.Equal(id, response.Id);
            Assert.Equal(i % 3 == 0 ? $"The sum of {i} and 1000 is {i + 1000}." : $"Echo: message {i}", ToolText(response));
        }
    }

    [Fact]
    public async Task A_modern_request_to_server_everything_a_legacy_server_is_translated_by_the_function()
    {
        var meta = new JsonObject { [McpMetaKeys.ProtocolVersion] = McpProtocolVersions.Modern, [McpMetaKeys.ClientCapabilities] = new JsonObject() };
        var request = ToolCall(new RequestId("modern-echo"), "echo", new JsonObject { ["message"] = "translated" });
        request.Params!["_meta"] = meta;
        var discover = new JsonRpcRequest { Id = new RequestId("discover"), Method = RequestMethods.ServerDiscover, Params = new JsonObject { ["_meta"] = meta.DeepClone() } };
        Assert.Null(ModernRequest.Admit(request));
        Assert.Null(ModernRequest.Admit(discover));
        using var timeout = new CancellationTokenSource(TestTimeout);

        var echo = Assert.IsType<JsonRpcResponse>(await server.Bridge.HandleAsync(request, timeout.Token));
        var discovered = Assert.IsType<JsonRpcResponse>(await server.Bridge.HandleAsync(discover, timeout.Token)).Result!;

        // server-everything knows nothing of 2026-07-28: the modern fields are the function's.
        Assert.Equal("Echo: translated", ToolText(echo));
        Assert.Equal("complete", echo.Result!["resultType"]!.GetValue<string>());
        Assert.NotNull(echo.Result!["_meta"]![McpMetaKeys.ServerInfo]!["name"]);
        Assert.Equal(McpProtocolVersions.NewestFirst, discovered["supportedVersions"]!.AsArray().Select(v => v!.GetValue<string>()));
        Assert.Equal(0, discovered["ttlMs"]!.GetValue<long>());
    }

    [Fact]
    public async Task Notifications_get_no_answer()
    {
        var answer = await server.Bridge.HandleAsync(new JsonRpcNotification { Method = NotificationMethods.InitializedNotification }, CancellationToken.None);

        Assert.Null(answer);
    }

    [Fact]
    public async Task A_request_that_misses_its_deadline_gets_32001_and_the_next_request_works()
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));
        var watch = Stopwatch.StartNew();

        var answer = await server.Bridge.HandleAsync(
            ToolCall(new RequestId("slow"), "trigger-long-running-operation", new JsonObject { ["duration"] = 5, ["steps"] = 5 }),
            deadline.Token);

        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(4), $"took {watch.Elapsed}: the deadline was not honoured");
        var error = Assert.IsType<JsonRpcError>(answer);
        Assert.Equal(new RequestId("slow"), error.Id);
        Assert.Equal(JsonRpcErrorCodes.RequestTimeout, error.Error.Code);
        Assert.Contains("did not answer 'tools/call' before the invocation's deadline", error.Error.Message);

        var next = Assert.IsType<JsonRpcResponse>(await CallToolAsync(server.Bridge, new RequestId(2), "echo", new JsonObject { ["message"] = "after the timeout" }));
        Assert.Equal("Echo: after the timeout", ToolText(next));
    }

    [Fact]
    public async Task A_request_with_an_already_cancelled_token_gets_32001()
    {
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        var answer = await server.Bridge.HandleAsync(ToolCall(new RequestId(77), "echo", new JsonObject { ["message"] = "too late" }), cancelled.Token);

        var error = Assert.IsType<JsonRpcError>(answer);
        Assert.Equal(new RequestId(77), error.Id);
        Assert.Equal(JsonRpcErrorCodes.RequestTimeout, error.Error.Code);
    }

    [Fact]
    public async Task A_request_that_makes_the_server_quit_gets_an_error_answer_and_the_server_is_started_again()
    {
        // server-everything's stdio transport refuses lines over 10 MiB by closing; the SDK escapes each quote as
        // \u0022, so two million quotes make a 12 MB line.
        await using var bridge = new StdioServerBridge(TestRepository.EverythingServer());

        var answer = await CallToolAsync(bridge, new RequestId("huge"), "echo", new JsonObject { ["message"] = new string('"', 2_000_000) });

        var error = Assert.IsType<JsonRpcError>(answer);
        Assert.Equal(new RequestId("huge"), error.Id);
        Assert.Equal(JsonRpcErrorCodes.ConnectionClosed, error.Error.Code);
        Assert.Contains("stopped before answering 'tools/call'", error.Error.Message);

        var next = Assert.IsType<JsonRpcResponse>(await CallToolAsync(bridge, new RequestId("after"), "echo", new JsonObject { ["message"] = "restarted" }));
        Assert.Equal("Echo: restarted", ToolText(next));
    }

    [Fact]
    public async Task A_command_that_does_not_exist_gives_an_internal_error_naming_it()
    {
        await using var bridge = new StdioServerBridge(new StdioServerOptions("definitely-not-a-command-xyz", ["--stdio"]));

        var answer = await CallToolAsync(bridge, new RequestId(1), "echo", new JsonObject { ["message"] = "nobody there" });

        var error = Assert.IsType<JsonRpcError>(answer);
        Assert.Equal(new RequestId(1), error.Id);
        Assert.Equal(JsonRpcErrorCodes.InternalError, error.Error.Code);
        Assert.Contains("definitely-not-a-command-xyz", error.Error.Message);
    }

    [Fact]
    public async Task A_server_that_exits_at_start_gives_an_error_naming_its_exit_code_and_a_log_reference_not_its_stderr()
    {
        await using var bridge = new StdioServerBridge(new StdioServerOptions("node", ["-e", "process.stderr.write('boom\\n'); process.exit(3)"]));

        var answer = await CallToolAsync(bridge, new RequestId("dead"), "echo", new JsonObject { ["message"] = "nobody there" });

        var error = Assert.IsType<JsonRpcError>(answer);
        Assert.Equal(new RequestId("dead"), error.Id);
        Assert.Equal(JsonRpcErrorCodes.InternalError, error.Error.Code);
        Assert.Contains("code 3", error.Error.Message);
        Assert.DoesNotContain("boom", error.Error.Message);
        Assert.Matches("server error [0-9a-f]{16}; the function's log has the details", error.Error.Message);
    }

    [Fact]
    public async Task The_child_gets_only_the_variables_it_is_given_unless_it_inherits_the_environment()
    {
        var name = "MCPLAMBDA_TEST_SECRET_" + Guid.NewGuid().ToString("N")[..8].ToUpperInvariant();
        var secret = Guid.NewGuid().ToString();
        Environment.SetEnvironmentVariable(name, secret);
        try
        {
            await using var isolated = new StdioServerBridge(TestRepository.EverythingServer(new Dictionary<string, string> { ["MCPLAMBDA_TEST_GIVEN"] = "given-value" }));
            await using var inheriting = new StdioServerBridge(TestRepository.EverythingServer(inheritEnvironment: true));

            var isolatedEnvironment = await GetEnvAsync(isolated);
            var inheritedEnvironment = await GetEnvAsync(inheriting);

            Assert.False(isolatedEnvironment.ContainsKey(name), $"{name} leaked into a child that does not inherit the environment");
            Assert.Equal("given-value", isolatedEnvironment["MCPLAMBDA_TEST_GIVEN"]);
            Assert.True(isolatedEnvironment.ContainsKey("PATH"));
            Assert.Equal(secret, inheritedEnvironment[name]);
            Assert.False(inheritedEnvironment.ContainsKey("MCPLAMBDA_TEST_GIVEN"));
        }
        finally
        {
            Environment.SetEnvironmentVariable(name, null);
        }
    }

    private static async Task<Dictionary<string, string>> GetEnvAsync(StdioServerBridge bridge)
    {
        var response = Assert.IsType<JsonRpcResponse>(await CallToolAsync(bridge, new RequestId("env"), "get-env", new JsonObject()));
        return JsonSerializer.Deserialize<Dictionary<string, string>>(ToolText(response))!;
    }

    private static async Task<JsonRpcMessage?> CallToolAsync(StdioServerBridge bridge, RequestId id, string tool, JsonObject arguments)
    {
        using var timeout = new CancellationTokenSource(TestTimeout);
        return await bridge.HandleAsync(ToolCall(id, tool, arguments), timeout.Token);
    }

    private static JsonRpcRequest ToolCall(RequestId id, string tool, JsonObject arguments) => new()
    {
        Id = id,
        Method = RequestMethods.ToolsCall,
        Params = new JsonObject { ["name"] = tool, ["arguments"] = arguments },
    };

    private static string ToolText(JsonRpcResponse response)
    {
        var result = response.Result!;
        Assert.NotEqual(true, result["isError"]?.GetValue<bool>());
        var first = result["content"]![0]!;
        Assert.Equal("text", first["type"]!.GetValue<string>());
        return first["text"]!.GetValue<string>();
    }
}
