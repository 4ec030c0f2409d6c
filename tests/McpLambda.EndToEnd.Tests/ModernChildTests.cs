using System.Diagnostics;
using System.Reflection;
using System.Text.Json.Nodes;
using McpLambda.Runtime;
using McpLambda.Runtime.Bridge;
using McpLambda.Runtime.Invocations;
using McpLambda.Runtime.JsonRpc;
using McpLambda.Runtime.Protocol;
using ModelContextProtocol.Protocol;

namespace McpLambda.EndToEnd.Tests;

/// <summary>
/// Which era the bridge finds its child in, by the <c>server/discover</c> probe it sends with the handshake: the
/// project's dual-era test server (<c>node/dual-era-server.mjs</c>) is modern and gets modern requests unchanged; the
/// legacy test server (<c>node/conformance-server.mjs</c>) and one that never answers the probe
/// (<c>node/legacy-silent-server.mjs</c>) are legacy, and the bridge translates for them.
/// </summary>
public sealed class ModernChildTests
{
    private static readonly string NodeDirectory = Path.Combine(typeof(ModernChildTests).Assembly
        .GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "TestProjectDirectory").Value!, "node");

    [Fact]
    public async Task A_modern_child_answers_modern_requests_itself_with_its_own_discover_tools_input_requests_and_state()
    {
        await using var bridge = new StdioServerBridge(DualEraServer(stateKey: null), new ServerRequestRelay());

        var discover = Result(await CallAsync(bridge, RequestMethods.ServerDiscover, []));
        Assert.Equal(60_000, (long)discover["ttlMs"]!);
        Assert.Equal("mcplambda-dual-era-server", (string?)discover["_meta"]![McpMetaKeys.ServerInfo]!["name"]);
        Assert.Equal(McpProtocolVersions.NewestFirst, discover["supportedVersions"]!.AsArray().Select(v => (string)v!));
        Assert.Null(discover["capabilities"]!["tools"]!["listChanged"]);

        // The child's modern side lists no legacy-only tool; its legacy side (what a translation would ask) does.
        var tools = Result(await CallAsync(bridge, RequestMethods.ToolsList, []))["tools"]!.AsArray().Select(t => (string?)t!["name"]).ToList();
        Assert.Contains("test_input_required_result_elicitation", tools);
        Assert.DoesNotContain("test_reconnection", tools);

        var asked = Result(await CallAsync(bridge, RequestMethods.ToolsCall, NameCall()));
        Assert.Equal("input_required", (string?)asked["resultType"]);
        Assert.Equal("elicitation/create", (string?)asked["inputRequests"]!["user_name"]!["method"]);

        var done = Result(await CallAsync(bridge, RequestMethods.ToolsCall, Answered(NameCall(), (string)asked["requestState"]!)));
        Assert.Equal("complete", (string?)done["resultType"]);
        Assert.Equal("Hello, Alice!", (string?)done["content"]![0]!["text"]);
    }

    [Fact]
    public async Task A_modern_childs_request_state_is_its_own_so_a_retry_elsewhere_completes_only_where_its_child_shares_the_key()
    {
        var key = Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));
        await using var first = new StdioServerBridge(DualEraServer(key), new ServerRequestRelay());
        await using var second = new StdioServerBridge(DualEraServer(key), new ServerRequestRelay());
        await using var unkeyed = new StdioServerBridge(DualEraServer(stateKey: null), new ServerRequestRelay());

        var state = (string)Result(await CallAsync(first, RequestMethods.ToolsCall, NameCall()))["requestState"]!;

        Assert.Equal("Hello, Alice!", (string?)Result(await CallAsync(second, RequestMethods.ToolsCall, Answered(NameCall(), state)))["content"]![0]!["text"]);
        var refused = Assert.IsType<JsonRpcError>(await CallAsync(unkeyed, RequestMethods.ToolsCall, Answered(NameCall(), state)));
        Assert.Equal(JsonRpcErrorCodes.InvalidParams, refused.Error.Code);
        Assert.Equal(400, refused.HttpStatus());
    }

    [Fact]
    public async Task A_legacy_child_is_translated_its_discover_made_from_its_handshake_and_its_questions_keyed_by_the_function()
    {
        await using var bridge = new StdioServerBridge(ModernClientTests.LegacyServer, new ServerRequestRelay());

        var discover = Result(await CallAsync(bridge, RequestMethods.ServerDiscover, []));
        Assert.Equal(0, (long)discover["ttlMs"]!);
        Assert.Equal("mcplambda-conformance-server", (string?)discover["_meta"]![McpMetaKeys.ServerInfo]!["name"]);

        var asked = Result(await CallAsync(bridge, RequestMethods.ToolsCall, new JsonObject
        {
            ["name"] = "test_elicitation",
            ["arguments"] = new JsonObject { ["message"] = "Who are you?" },
            ["_meta"] = Meta(),
        }));
        Assert.Equal("input_required", (string?)asked["resultType"]);
        Assert.Equal("elicitation/create", (string?)asked["inputRequests"]!["input-1"]!["method"]);
    }

    [Fact]
    public async Task A_child_that_never_answers_the_probe_starts_without_waiting_for_it_and_is_translated_once_the_bound_has_passed()
    {
        // Long enough that a loaded machine's legacy call cannot come near it.
        var bound = TimeSpan.FromSeconds(8);
        var silent = new StdioServerOptions("node", [Path.Combine(NodeDirectory, "legacy-silent-server.mjs")])
        {
            StartupTimeout = TimeSpan.FromSeconds(60),
            DiscoverProbeBound = bound,
        };
        await using var bridge = new StdioServerBridge(silent, new ServerRequestRelay());

        // The start waits for the handshake only; a legacy client's call never waits for the probe.
        await bridge.StartAsync(CancellationToken.None);
        var watch = Stopwatch.StartNew();
        var legacy = Assert.IsType<JsonRpcResponse>(await bridge.HandleAsync(new JsonRpcRequest
        {
            Id = new RequestId("legacy"),
            Method = RequestMethods.ToolsCall,
            Params = new JsonObject { ["name"] = "echo", ["arguments"] = new JsonObject { ["message"] = "legacy" } },
        }, CancellationToken.None));
        Assert.True(watch.Elapsed < bound, $"a legacy call waited {watch.Elapsed} for the probe");
        Assert.Equal("Echo: legacy", (string?)legacy.Result!["content"]![0]!["text"]);

        // The first modern call waits for the probe's bound, not for the start timeout an unanswered request would run into.
        var echo = Result(await CallAsync(bridge, RequestMethods.ToolsCall, new JsonObject
        {
            ["name"] = "echo",
            ["arguments"] = new JsonObject { ["message"] = "translated" },
            ["_meta"] = Meta(),
        }));
        Assert.Equal("complete", (string?)echo["resultType"]);
        Assert.Equal("mcplambda-legacy-silent-server", (string?)echo["_meta"]![McpMetaKeys.ServerInfo]!["name"]);
        Assert.Equal("Echo: translated", (string?)echo["content"]![0]!["text"]);
    }

    private static StdioServerOptions DualEraServer(string? stateKey) => new("node", [Path.Combine(NodeDirectory, "dual-era-server.mjs")])
    {
        StartupTimeout = TimeSpan.FromSeconds(30),
        EnvironmentVariables = stateKey is null ? new Dictionary<string, string>() : new Dictionary<string, string> { ["CONFORMANCE_STATE_KEY"] = stateKey },
    };

    private static JsonObject Meta() => new()
    {
        [McpMetaKeys.ProtocolVersion] = McpProtocolVersions.Modern,
        [McpMetaKeys.ClientCapabilities] = new JsonObject { ["elicitation"] = new JsonObject() },
    };

    private static JsonObject NameCall() => new()
    {
        ["name"] = "test_input_required_result_elicitation",
        ["arguments"] = new JsonObject(),
        ["_meta"] = Meta(),
    };

    private static JsonObject Answered(JsonObject call, string state)
    {
        call["requestState"] = state;
        call["inputResponses"] = new JsonObject { ["user_name"] = new JsonObject { ["action"] = "accept", ["content"] = new JsonObject { ["name"] = "Alice" } } };
        return call;
    }

    private static async Task<JsonRpcMessage> CallAsync(StdioServerBridge bridge, string method, JsonObject parameters)
    {
        parameters["_meta"] ??= Meta();
        var request = new JsonRpcRequest { Id = new RequestId(Guid.NewGuid().ToString()), Method = method, Params = parameters };
        Assert.Null(ModernRequest.Admit(request));
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        return (await bridge.HandleAsync(request, null, InvocationContext.Outside(timeout.Token)))!;
    }

    private static JsonObject Result(JsonRpcMessage answer) => Assert.IsType<JsonObject>(Assert.IsType<JsonRpcResponse>(answer).Result);
}
