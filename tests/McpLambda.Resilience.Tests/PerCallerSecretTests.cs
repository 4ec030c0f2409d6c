using System.Text.Json.Nodes;
using McpLambda.Runtime.Bridge;
using McpLambda.Runtime.Invocations;
using McpLambda.Runtime.Secrets;
using ModelContextProtocol.Protocol;

namespace McpLambda.Resilience.Tests;

/// <summary>
/// Secret references that name the verified caller (<c>ssm:/mcp/users/{sub}/…</c>): one warm server per caller, started
/// with that caller's values from the Parameter Store emulation, a bounded set that stops the least recently used caller's
/// server first, and no server at all for a request without a verified caller. In the log collection, as they read the log.
/// </summary>
[Collection(nameof(LogConfigurationCollection))]
public sealed class PerCallerSecretTests
{
    private const string AliceToken = "alice-token-value-0001";
    private const string BobToken = "bob-token-value-0002";
    private const string CarolToken = "carol-token-value-0003";
    private const string Shared = "shared-value-0004";

    [Fact]
    public async Task Each_caller_gets_a_server_of_its_own_with_its_own_values_and_a_caller_beyond_the_bound_stops_the_least_recently_used()
    {
        await using var store = Store();
        using var log = new StderrCapture();
        await using var bridge = Bridge(store, maxCallerServers: 2);
        await bridge.StartAsync(CancellationToken.None);
        Assert.Empty(store.Calls);

        Assert.Equal(AliceToken, await CallAsync(bridge, "alice", "env", "TOKEN"));
        Assert.Equal(BobToken, await CallAsync(bridge, "bob", "env", "TOKEN"));
        Assert.Equal(Shared, await CallAsync(bridge, "bob", "env", "SHARED"));
        var alicePid = int.Parse(await CallAsync(bridge, "alice", "pid"));
        var bobPid = int.Parse(await CallAsync(bridge, "bob", "pid"));
        Assert.NotEqual(alicePid, bobPid);

        // Alice again, so Bob is the least recently used: Carol's server takes his place.
        Assert.Equal(AliceToken, await CallAsync(bridge, "alice", "env", "TOKEN"));
        Assert.Equal(CarolToken, await CallAsync(bridge, "carol", "env", "TOKEN"));
        await ServerProcesses.WaitUntilAsync(() => ServerProcesses.HasExited(bobPid));
        Assert.False(ServerProcesses.HasExited(alicePid));
        Assert.Equal(alicePid, int.Parse(await CallAsync(bridge, "alice", "pid")));

        // Bob comes back to a new server, with his own value fetched again; Carol is now the least recently used.
        Assert.Equal(BobToken, await CallAsync(bridge, "bob", "env", "TOKEN"));
        Assert.NotEqual(bobPid, int.Parse(await CallAsync(bridge, "bob", "pid")));

        // One call per caller's start, each for that caller's parameter and the shared one.
        Assert.Equal(
            ["/mcp/users/alice/github", "/mcp/users/bob/github", "/mcp/users/carol/github", "/mcp/users/bob/github"],
            store.Calls.Select(call => call.Names.Single(name => name.StartsWith("/mcp/users/", StringComparison.Ordinal))));
        Assert.All(store.Calls, call => Assert.Contains("/mcp/shared", call.Names));
        Assert.Contains("sub=bob", log.Text);
        foreach (var value in new[] { AliceToken, BobToken, CarolToken, Shared })
        {
            Assert.DoesNotContain(value, log.Text);
        }
    }

    [Fact]
    public async Task A_request_without_a_verified_caller_is_refused_and_starts_nothing()
    {
        await using var store = Store();
        await using var bridge = Bridge(store, maxCallerServers: 2);

        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        var answer = await bridge.HandleAsync(MisbehavingServer.Call("env", new JsonObject { ["name"] = "TOKEN" }), null, InvocationContext.Outside(deadline.Token));

        var error = Assert.IsType<JsonRpcError>(answer);
        Assert.Equal(-32600, error.Error.Code);
        Assert.Contains("no verified caller", error.Error.Message);
        Assert.Empty(store.Calls);

        // A subject that would reach into another parameter path is refused the same way.
        var refused = Assert.IsType<JsonRpcError>(await bridge.HandleAsync(
            MisbehavingServer.Call("env", new JsonObject { ["name"] = "TOKEN" }), null, As("alice/../bob", deadline.Token)));
        Assert.Contains("cannot name them", refused.Error.Message);
        Assert.Empty(store.Calls);
    }

    private static LocalParameterStore Store()
    {
        var store = new LocalParameterStore();
        store.Put("/mcp/users/alice/github", AliceToken);
        store.Put("/mcp/users/bob/github", BobToken);
        store.Put("/mcp/users/carol/github", CarolToken);
        store.Put("/mcp/shared", Shared, "String");
        return store;
    }

    private static StdioServerBridge Bridge(LocalParameterStore store, int maxCallerServers)
    {
        var options = MisbehavingServer.Options(environment: new Dictionary<string, string>
        {
            ["TOKEN"] = "ssm:/mcp/users/{sub}/github",
            ["SHARED"] = "ssm:/mcp/shared",
        });
        var secrets = new ServerSecrets(SecretReference.In(options.EnvironmentVariables), new SsmParameterStore(store.Connection));
        secrets.StartFetching();
        return new StdioServerBridge(options, new ServerRequestRelay(), secrets, maxCallerServers);
    }

    /// <summary>An invocation whose access token the resource server verified for <paramref name="subject"/>.</summary>
    private static InvocationContext As(string subject, CancellationToken cancellationToken)
    {
        var invocation = new InvocationContext(null, null, null, cancellationToken);
        invocation.Authenticated(new CallerIdentity(subject, "client", []));
        return invocation;
    }

    private static async Task<string> CallAsync(StdioServerBridge bridge, string subject, string tool, string? variable = null)
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        var arguments = variable is null ? null : new JsonObject { ["name"] = variable };
        return (await bridge.HandleAsync(MisbehavingServer.Call(tool, arguments), null, As(subject, deadline.Token))).Text();
    }
}
