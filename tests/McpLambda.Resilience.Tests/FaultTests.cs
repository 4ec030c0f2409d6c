using System.Diagnostics;
using System.Text;
using System.Text.Json.Nodes;
using McpLambda.Runtime.Bridge;
using McpLambda.Runtime.Http;
using McpLambda.Runtime.JsonRpc;
using McpLambda.Runtime.StreamableHttp;
using ModelContextProtocol.Protocol;

namespace McpLambda.Resilience.Tests;

/// <summary>Each fault a real server shows: what the caller gets, and that the next request succeeds.</summary>
public sealed class FaultTests
{
    [Fact]
    public async Task A_crash_mid_request_names_the_exit_code_and_stderr_and_the_next_request_starts_a_new_server()
    {
        await using var bridge = new StdioServerBridge(MisbehavingServer.Options());
        var firstPid = (await bridge.CallAsync("pid")).Text();
        using var log = new StderrCapture();

        var error = (await bridge.CallAsync("crash")).Error();

        Assert.Equal(-32000, error.Code);
        Assert.Contains("exited with code 7", error.Message);
        // The caller gets a reference; the server's stderr and command line (which may hold secrets) stay in the log.
        Assert.DoesNotContain("simulated failure", error.Message);
        Assert.DoesNotContain(MisbehavingServer.Options().Arguments[0], error.Message);
        var reference = System.Text.RegularExpressions.Regex.Match(error.Message, "server error ([0-9a-f]{16})").Groups[1].Value;
        Assert.Matches($"server error {reference}\\).*fatal: simulated failure", log.Text);
        Assert.DoesNotContain("PATH=", error.Message);
        Assert.Equal("Echo: after crash", (await bridge.CallAsync("echo", new JsonObject { ["message"] = "after crash" })).Text());
        Assert.NotEqual(firstPid, (await bridge.CallAsync("pid")).Text());
    }

    [Fact]
    public async Task A_hung_request_past_the_deadline_gets_a_timeout_error_and_the_stuck_server_is_replaced()
    {
        await using var bridge = new StdioServerBridge(MisbehavingServer.Options());
        var stuckPid = int.Parse((await bridge.CallAsync("pid")).Text());

        var error = (await bridge.CallAsync("hang", deadline: TimeSpan.FromSeconds(1))).Error();

        Assert.Equal(-32001, error.Code);
        Assert.Contains("did not answer 'tools/call' before the invocation's deadline", error.Message);
        Assert.True(HasExited(stuckPid), "the stuck server should have been stopped");
        Assert.Equal("Echo: next", (await bridge.CallAsync("echo", new JsonObject { ["message"] = "next" })).Text());
    }

    [Fact]
    public async Task A_server_that_exits_at_start_is_reported_with_exit_code_and_stderr_then_backed_off()
    {
        await using var bridge = new StdioServerBridge(MisbehavingServer.Options("exit-at-start"));

        // Within its deadline a request waits for further attempts (250 ms, 500 ms, 1 s apart), then gets the start error.
        var started = Stopwatch.StartNew();
        var first = (await bridge.CallWithinAsync("echo", TimeSpan.FromSeconds(1))).Error();

        Assert.Equal(-32603, first.Code);
        Assert.Contains("could not start", first.Message);
        Assert.Contains("exited with code 3", first.Message);
        Assert.DoesNotContain("refusing to start", first.Message);
        Assert.Contains("server error ", first.Message);
        // The deadline bounds the wait (with slack for a loaded machine's timers), not the attempts still due.
        Assert.True(started.Elapsed < TimeSpan.FromSeconds(2), $"the start error must come by the deadline, not after {started.Elapsed}");
        var attempts = FailedStarts(first);

        // The next attempt is due after this request's deadline: it gets the error at once, without another doomed start.
        started.Restart();
        var second = (await bridge.CallWithinAsync("echo", TimeSpan.FromMilliseconds(300))).Error();

        // At most the start still running when the first request's deadline passed has failed since; none was begun.
        Assert.InRange(FailedStarts(second), attempts, attempts + 1);
        Assert.True(started.Elapsed < TimeSpan.FromSeconds(1), $"a request whose deadline comes before the next attempt must fail at once, not after {started.Elapsed}");
    }

    private static int FailedStarts(JsonRpcErrorDetail error)
        => int.Parse(System.Text.RegularExpressions.Regex.Match(error.Message, @"failed (\d+) times in a row").Groups[1].Value);

    [Fact]
    public async Task Garbage_lines_on_stdout_are_skipped()
    {
        await using var bridge = new StdioServerBridge(MisbehavingServer.Options("garbage-at-start"));

        Assert.Equal("after garbage", (await bridge.CallAsync("garbage")).Text());
        Assert.Equal("Echo: fine", (await bridge.CallAsync("echo", new JsonObject { ["message"] = "fine" })).Text());
    }

    [Fact]
    public async Task A_stderr_flood_goes_to_the_log_not_into_the_answer()
    {
        await using var bridge = new StdioServerBridge(MisbehavingServer.Options());

        var answer = await bridge.CallAsync("stderr-flood");

        Assert.Equal("after flood", answer.Text());
        Assert.DoesNotContain("flood line", Encoding.UTF8.GetString(McpLambda.Runtime.JsonRpc.JsonRpcMessages.ToUtf8(answer)));
    }

    [Fact]
    public async Task An_answer_over_the_response_limit_is_refused_with_a_clear_error_and_the_next_request_works()
    {
        await using var bridge = new StdioServerBridge(MisbehavingServer.Options());
        var http = new StreamableHttpHandler(new McpMessageDispatcher(bridge));

        var response = await http.HandleAsync(Post("""{"jsonrpc":"2.0","id":9,"method":"tools/call","params":{"name":"huge","arguments":{"bytes":7000000}}}"""), CancellationToken.None);

        Assert.Equal(200, response.StatusCode);
        var body = JsonNode.Parse(response.Body.Span)!;
        Assert.Equal(9, body["id"]!.GetValue<int>());
        Assert.Equal(-32603, body["error"]!["code"]!.GetValue<int>());
        Assert.Contains("over this function's response limit", body["error"]!["message"]!.GetValue<string>());
        Assert.True(response.Body.Length < 1000);
        Assert.Equal("Echo: small", (await bridge.CallAsync("echo", new JsonObject { ["message"] = "small" })).Text());
    }

    [Fact]
    public async Task A_slow_answer_within_the_deadline_arrives()
    {
        await using var bridge = new StdioServerBridge(MisbehavingServer.Options());

        Assert.Equal("slept 1200 ms", (await bridge.CallAsync("slow", new JsonObject { ["ms"] = 1200 }, TimeSpan.FromSeconds(5))).Text());
    }

    [Fact]
    public async Task A_server_to_client_request_that_no_client_can_see_is_refused_at_once_instead_of_hanging()
    {
        await using var bridge = new StdioServerBridge(MisbehavingServer.Options());

        var text = (await bridge.CallAsync("sampling", deadline: TimeSpan.FromSeconds(5))).Text();

        Assert.Contains("-32601", text);
        Assert.Contains("streamed event-stream answer", text);
    }

    [Fact]
    public async Task Server_notifications_do_not_disturb_the_answer()
    {
        await using var bridge = new StdioServerBridge(MisbehavingServer.Options());

        Assert.Equal("notified", (await bridge.CallAsync("notify")).Text());
    }

    [Fact]
    public async Task The_server_gets_a_minimal_environment_unless_the_attribute_opts_in()
    {
        Environment.SetEnvironmentVariable("AWS_SECRET_ACCESS_KEY", "function-role-secret");
        var args = new JsonObject { ["name"] = "AWS_SECRET_ACCESS_KEY" };

        await using (var minimal = new StdioServerBridge(MisbehavingServer.Options(environment: new Dictionary<string, string> { ["GIVEN"] = "yes" })))
        {
            Assert.Equal("(unset)", (await minimal.CallAsync("env", args)).Text());
            Assert.Equal("yes", (await minimal.CallAsync("env", new JsonObject { ["name"] = "GIVEN" })).Text());
            Assert.NotEqual("(unset)", (await minimal.CallAsync("env", new JsonObject { ["name"] = "PATH" })).Text());
        }

        await using var inheriting = new StdioServerBridge(MisbehavingServer.Options(inheritEnvironment: true));
        Assert.Equal("function-role-secret", (await inheriting.CallAsync("env", args)).Text());
    }

    [Fact]
    public async Task Warm_reuses_one_server_and_PerInvocation_starts_one_per_request()
    {
        await using var warm = new StdioServerBridge(MisbehavingServer.Options());
        Assert.Equal((await warm.CallAsync("pid")).Text(), (await warm.CallAsync("pid")).Text());

        await using var perInvocation = new StdioServerBridge(MisbehavingServer.Options(lifetime: McpLambda.McpServerLifetime.PerInvocation));
        var first = int.Parse((await perInvocation.CallAsync("pid")).Text());
        var second = int.Parse((await perInvocation.CallAsync("pid")).Text());
        Assert.NotEqual(first, second);
        Assert.True(HasExited(first), "a per-invocation server is stopped after its request");

        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        var initialize = new JsonRpcRequest
        {
            Id = new RequestId("init"),
            Method = RequestMethods.Initialize,
            Params = new JsonObject { ["protocolVersion"] = "2025-06-18", ["capabilities"] = new JsonObject(), ["clientInfo"] = new JsonObject { ["name"] = "t", ["version"] = "1" } },
        };
        var answer = Assert.IsType<JsonRpcResponse>(await perInvocation.HandleAsync(initialize, cts.Token));
        Assert.Equal("misbehaving-server", answer.Result!["serverInfo"]!["name"]!.GetValue<string>());
        Assert.Equal("2025-06-18", answer.Result!["protocolVersion"]!.GetValue<string>());
    }

    [Fact]
    public async Task Disposing_the_bridge_ends_the_whole_process_tree()
    {
        // sh starts node, as npx does: ending sh alone would orphan node.
        var options = new McpLambda.Runtime.StdioServerOptions("sh", ["-c", $"node '{MisbehavingServer.Script}' normal"]);
        var bridge = new StdioServerBridge(options);
        var nodePid = int.Parse((await bridge.CallAsync("pid")).Text());

        await bridge.DisposeAsync();

        Assert.True(HasExited(nodePid), "the grandchild node process should be gone");
    }

    [Fact]
    public async Task A_client_notification_to_a_server_that_just_died_is_dropped_not_thrown()
    {
        await using var bridge = new StdioServerBridge(MisbehavingServer.Options());
        using (var child = Process.GetProcessById(int.Parse((await bridge.CallAsync("pid")).Text())))
        {
            child.Kill();
            await child.WaitForExitAsync();
        }

        var notification = new JsonRpcNotification { Method = "notifications/roots/list_changed" };
        for (var i = 0; i < 20; i++)
        {
            Assert.Null(await bridge.HandleAsync(notification, CancellationToken.None));
        }

        Assert.Equal("Echo: back", (await bridge.CallAsync("echo", new JsonObject { ["message"] = "back" })).Text());
    }

    [Fact]
    public async Task Concurrent_requests_are_multiplexed_with_their_own_ids()
    {
        await using var bridge = new StdioServerBridge(MisbehavingServer.Options());

        var answers = await Task.WhenAll(Enumerable.Range(0, 200).Select(async i =>
        {
            var answer = await bridge.CallAsync(i % 3 == 0 ? "slow" : "echo", new JsonObject { ["message"] = $"m{i}", ["ms"] = 20 }, id: 1000 + i);
            return (i, answer);
        }));

        foreach (var (i, answer) in answers)
        {
            Assert.Equal(new RequestId(1000 + i), Assert.IsType<JsonRpcResponse>(answer).Id);
            Assert.Equal(i % 3 == 0 ? "slept 20 ms" : $"Echo: m{i}", answer.Text());
        }
    }

    private static BufferedHttpRequest Post(string json)
    {
        var headers = new HttpHeaderCollection();
        headers.Add("Content-Type", "application/json");
        headers.Add("Accept", "application/json, text/event-stream");
        return new BufferedHttpRequest("POST", "/mcp", headers, Encoding.UTF8.GetBytes(json));
    }

    private static bool HasExited(int pid)
    {
        for (var i = 0; i < 50; i++)
        {
            try
            {
                using var process = Process.GetProcessById(pid);
                if (process.HasExited)
                {
                    return true;
                }
            }
            catch (ArgumentException)
            {
                return true;
            }

            Thread.Sleep(100);
        }

        return false;
    }
}
