using System.Text;
using System.Text.Json.Nodes;
using McpLambda.Runtime.Bridge;
using McpLambda.Runtime.Configuration;
using McpLambda.Runtime.EventAdapters;
using McpLambda.Runtime.Features;
using McpLambda.Runtime.Hosting;
using McpLambda.Runtime.Local;
using McpLambda.Runtime.Observability;
using McpLambda.Runtime.RuntimeApi;
using McpLambda.Runtime.Secrets;

namespace McpLambda.Resilience.Tests;

/// <summary>
/// Secret references (<c>ssm:…</c>) in the server's environment, resolved against the Parameter Store emulation by the
/// runtime's own signed call: the values reach the server and nothing else, one <c>GetParameters</c> call per start, a clear
/// init error for each way a reference fails, and the refresh after the time to live. One class, so these run one after
/// another (one of them turns the build switch off); in the log collection, as they read the log.
/// </summary>
[Collection(nameof(LogConfigurationCollection))]
public sealed class SecretReferenceTests
{
    private const string Token = "ghp_s3cr3t-token-value-0001";
    private const string Setting = "plain-setting-value-0002";
    private const string Database = "{\"password\":\"db-password-value-0003\"}";
    private static readonly TimeSpan TimeToLive = TimeSpan.FromMinutes(5);

    [Fact]
    public async Task Three_references_reach_the_server_from_one_GetParameters_call_and_no_value_reaches_the_log_or_the_metrics()
    {
        await using var store = new LocalParameterStore();
        store.Put("/mcp/token", Token);
        store.Put("/mcp/setting", Setting, "String");
        store.PutSecret("mcp/database", Database);
        using var log = new StderrCapture();
        var metricsOutput = new StringWriter();
        var metrics = new RequestMetrics(new EmbeddedMetricsWriter("Test/Mcp", "fn", () => metricsOutput));
        await using var lambda = RuntimeApiEmulator.Start();
        await using var bridge = Bridge(store, new()
        {
            ["TOKEN"] = "ssm:/mcp/token",
            ["SETTING"] = "ssm:/mcp/setting",
            ["DATABASE"] = "ssm:/aws/reference/secretsmanager/mcp/database",
            ["PLAIN"] = "as written",
        });
        using var client = new RuntimeApiClient(lambda.Address);
        using var stop = new CancellationTokenSource();
        var invocations = new InvocationHandler(LambdaInvokeEventAdapter.Instance, new McpHandlers(bridge, McpLambdaSettings.Default, metrics), TimeSpan.Zero, metrics: metrics);
        var loop = new LambdaRuntimeLoop(client, bridge, invocations).RunAsync(1, stop.Token);

        Assert.Equal(Token, await EnvAsync(lambda, "TOKEN"));
        Assert.Equal(Setting, await EnvAsync(lambda, "SETTING"));
        Assert.Equal(Database, await EnvAsync(lambda, "DATABASE"));
        Assert.Equal("as written", await EnvAsync(lambda, "PLAIN"));

        // A server that dies is started again with the values in hand: no second call.
        await lambda.InvokeAsync(Message("crash"));
        Assert.Equal(Token, await EnvAsync(lambda, "TOKEN"));
        await stop.CancelAsync();
        await loop;

        var call = Assert.Single(store.Calls);
        Assert.True(call.WithDecryption);
        Assert.Equal(new[] { "/aws/reference/secretsmanager/mcp/database", "/mcp/setting", "/mcp/token" }, call.Names.Order(StringComparer.Ordinal));
        Assert.Contains("secrets: 3 reference(s) resolved in", log.Text);
        Assert.Contains("TOKEN=ssm:/mcp/token", log.Text);
        Assert.Contains("MCP server 'node", log.Text);
        Assert.NotEmpty(metricsOutput.ToString());
        foreach (var value in new[] { Token, Setting, "db-password-value-0003" })
        {
            Assert.DoesNotContain(value, log.Text);
            Assert.DoesNotContain(value, metricsOutput.ToString());
        }

        // The function's own environment never holds them.
        Assert.Null(Environment.GetEnvironmentVariable("TOKEN"));
    }

    public static TheoryData<string, string, int> Failures() => new()
    {
        { "missing", "the secret reference TOKEN=ssm:/mcp/token could not be resolved: not found (Parameter Store answered InvalidParameters)", 1 },
        { "denied", "the secret references FINE=ssm:/mcp/fine, TOKEN=ssm:/mcp/token could not be resolved: access denied (AccessDeniedException)", 1 },
        { "throttled", "the secret references FINE=ssm:/mcp/fine, TOKEN=ssm:/mcp/token could not be resolved: throttled (ThrottlingException), still after 3 attempts", 3 },
    };

    [Theory]
    [MemberData(nameof(Failures))]
    public async Task A_reference_that_cannot_be_resolved_fails_init_with_an_error_naming_it_and_why(string fault, string error, int calls)
    {
        await using var store = new LocalParameterStore();
        store.Put("/mcp/fine", Setting);
        if (fault != "missing")
        {
            store.Put("/mcp/token", Token);
        }

        if (fault == "denied")
        {
            store.Deny("/mcp/token");
        }

        if (fault == "throttled")
        {
            store.ThrottleNext(int.MaxValue);
        }

        using var log = new StderrCapture();
        await using var lambda = RuntimeApiEmulator.Start();
        await using var bridge = Bridge(store, new() { ["FINE"] = "ssm:/mcp/fine", ["TOKEN"] = "ssm:/mcp/token" });
        using var client = new RuntimeApiClient(lambda.Address);

        var exitCode = await new LambdaRuntimeLoop(client, LambdaInvokeEventAdapter.Instance, bridge, new McpHandlers(bridge)).RunAsync(1, CancellationToken.None);

        Assert.Equal(1, exitCode);
        var initError = JsonNode.Parse(await lambda.InitError.WaitAsync(TimeSpan.FromSeconds(5)))!;
        Assert.Equal("Runtime.McpServerStartFailed", initError["errorType"]!.GetValue<string>());
        var message = initError["errorMessage"]!.GetValue<string>();
        Assert.StartsWith($"The MCP server '{bridge.Options}' could not start: ", message);
        Assert.Contains(error, message);
        Assert.DoesNotContain(Setting, message);
        Assert.DoesNotContain(Token, message);
        Assert.Equal(calls, store.Calls.Count);
        if (fault == "denied")
        {
            // The service's own words, which name the role and the resource, are in the log only.
            Assert.Contains($"is not authorized to perform: ssm:GetParameters on resource: {LocalParameterStore.Arn("/mcp/token")}", log.Text);
            Assert.DoesNotContain("is not authorized", message);
        }
    }

    [Fact]
    public async Task A_function_built_without_secrets_refuses_to_start_and_says_how_to_build_them_in()
    {
        AppContext.SetSwitch(BuildFeatures.SecretsSwitch, false);
        try
        {
            var options = MisbehavingServer.Options(environment: new Dictionary<string, string> { ["TOKEN"] = "ssm:/mcp/token" });
            await using var bridge = new StdioServerBridge(options, new ServerRequestRelay(), ServerSecrets.For(options, () => ParameterStores.For(null), timeToLive: null));

            var error = await Assert.ThrowsAsync<StdioServerStartException>(() => bridge.StartAsync(CancellationToken.None));

            Assert.Contains("TOKEN=ssm:/mcp/token could not be resolved: this function was built without secret references: set <McpLambdaSecrets>true</McpLambdaSecrets>", error.Message);
        }
        finally
        {
            AppContext.SetSwitch(BuildFeatures.SecretsSwitch, true);
        }
    }

    [Fact]
    public async Task After_the_time_to_live_a_changed_value_restarts_the_warm_server_between_requests_and_an_unchanged_one_keeps_it()
    {
        await using var store = new LocalParameterStore();
        store.Put("/mcp/token", "first");
        var clock = new ManualClock();
        await using var bridge = Bridge(store, new() { ["TOKEN"] = "ssm:/mcp/token" }, TimeToLive, clock);
        await bridge.StartAsync(CancellationToken.None);
        var firstServer = (await bridge.CallAsync("pid")).Text();

        store.Put("/mcp/token", "second");
        clock.Advance(TimeToLive - TimeSpan.FromSeconds(1));
        Assert.Equal("first", (await bridge.CallAsync("env", Name("TOKEN"))).Text());
        Assert.Single(store.Calls);

        clock.Advance(TimeSpan.FromSeconds(2));
        Assert.Equal("second", (await bridge.CallAsync("env", Name("TOKEN"))).Text());
        var secondServer = (await bridge.CallAsync("pid")).Text();
        Assert.NotEqual(firstServer, secondServer);
        Assert.Equal(2, store.Calls.Count);

        clock.Advance(TimeToLive);
        Assert.Equal("second", (await bridge.CallAsync("env", Name("TOKEN"))).Text());
        Assert.Equal(secondServer, (await bridge.CallAsync("pid")).Text());
        Assert.Equal(3, store.Calls.Count);
    }

    [Fact]
    public async Task A_refresh_never_cuts_a_request_short_the_old_server_answers_it_and_then_stops()
    {
        await using var store = new LocalParameterStore();
        store.Put("/mcp/token", "first");
        var clock = new ManualClock();
        await using var bridge = Bridge(store, new() { ["TOKEN"] = "ssm:/mcp/token" }, TimeToLive, clock);
        await bridge.StartAsync(CancellationToken.None);
        var oldServer = int.Parse((await bridge.CallAsync("pid")).Text(), System.Globalization.CultureInfo.InvariantCulture);
        var slow = bridge.CallAsync("slow", new JsonObject { ["ms"] = 1500 }, id: 7);
        await Task.Delay(300);

        store.Put("/mcp/token", "second");
        clock.Advance(TimeToLive);
        Assert.Equal("second", (await bridge.CallAsync("env", Name("TOKEN"))).Text());

        Assert.Equal("slept 1500 ms", (await slow).Text());
        await ServerProcesses.WaitUntilAsync(() => ServerProcesses.HasExited(oldServer));
    }

    [Fact]
    public async Task A_refresh_that_fails_keeps_the_running_server_and_its_values()
    {
        await using var store = new LocalParameterStore();
        store.Put("/mcp/token", "first");
        var clock = new ManualClock();
        using var log = new StderrCapture();
        await using var bridge = Bridge(store, new() { ["TOKEN"] = "ssm:/mcp/token" }, TimeToLive, clock);
        await bridge.StartAsync(CancellationToken.None);
        var server = (await bridge.CallAsync("pid")).Text();

        store.Put("/mcp/token", "second");
        store.ThrottleNext(int.MaxValue);
        clock.Advance(TimeToLive);
        Assert.Equal("first", (await bridge.CallAsync("env", Name("TOKEN"))).Text());
        Assert.Equal(server, (await bridge.CallAsync("pid")).Text());
        Assert.Contains("secrets: fetching them again failed", log.Text);

        // The next try comes after 30 s, not at every request.
        var calls = store.Calls.Count;
        Assert.Equal("first", (await bridge.CallAsync("env", Name("TOKEN"))).Text());
        Assert.Equal(calls, store.Calls.Count);

        store.ThrottleNext(0);
        clock.Advance(TimeSpan.FromSeconds(30));
        Assert.Equal("second", (await bridge.CallAsync("env", Name("TOKEN"))).Text());
    }

    [Fact]
    public async Task More_references_than_one_call_takes_go_in_calls_of_ten()
    {
        await using var store = new LocalParameterStore();
        var environment = new Dictionary<string, string>();
        for (var i = 0; i < 12; i++)
        {
            store.Put($"/mcp/key{i}", $"value-{i}");
            environment[$"KEY{i}"] = $"ssm:/mcp/key{i}";
        }

        await using var bridge = Bridge(store, environment);
        await bridge.StartAsync(CancellationToken.None);

        Assert.Equal("value-11", (await bridge.CallAsync("env", Name("KEY11"))).Text());
        Assert.Equal(new[] { 10, 2 }, store.Calls.Select(c => c.Names.Length).Order().Reverse());
    }

    [Fact]
    public async Task A_per_invocation_server_gets_the_values_fetched_once_and_a_selector_names_a_version()
    {
        await using var store = new LocalParameterStore();
        store.Put("/mcp/token", "version one");
        store.Put("/mcp/token", "version two");
        await using var bridge = Bridge(store, new() { ["TOKEN"] = "ssm:/mcp/token:1", ["LATEST"] = "ssm:/mcp/token" }, lifetime: McpServerLifetime.PerInvocation);
        await bridge.StartAsync(CancellationToken.None);

        Assert.Equal("version one", (await bridge.CallAsync("env", Name("TOKEN"))).Text());
        Assert.Equal("version two", (await bridge.CallAsync("env", Name("LATEST"))).Text());
        Assert.Single(store.Calls);
    }

    private static StdioServerBridge Bridge(LocalParameterStore store, Dictionary<string, string> environment, TimeSpan? timeToLive = null, TimeProvider? clock = null,
        McpServerLifetime lifetime = McpServerLifetime.Warm)
    {
        var options = MisbehavingServer.Options(lifetime: lifetime, environment: environment);
        var secrets = new ServerSecrets(SecretReference.In(options.EnvironmentVariables), new SsmParameterStore(store.Connection), timeToLive, clock);
        secrets.StartFetching();
        return new StdioServerBridge(options, new ServerRequestRelay(), secrets);
    }

    private static JsonObject Name(string variable) => new() { ["name"] = variable };

    private static byte[] Message(string tool, JsonObject? arguments = null)
        => Encoding.UTF8.GetBytes(new JsonObject
        {
            ["jsonrpc"] = "2.0",
            ["id"] = 1,
            ["method"] = "tools/call",
            ["params"] = new JsonObject { ["name"] = tool, ["arguments"] = arguments ?? new JsonObject() },
        }.ToJsonString());

    private static async Task<string> EnvAsync(RuntimeApiEmulator lambda, string variable)
    {
        var result = await lambda.InvokeAsync(Message("env", Name(variable)));
        return JsonNode.Parse(result.Payload)!["result"]!["content"]![0]!["text"]!.GetValue<string>();
    }

    /// <summary>A clock the test moves.</summary>
    private sealed class ManualClock : TimeProvider
    {
        private DateTimeOffset _now = DateTimeOffset.UtcNow;

        public override DateTimeOffset GetUtcNow() => _now;

        public void Advance(TimeSpan by) => _now += by;
    }
}
