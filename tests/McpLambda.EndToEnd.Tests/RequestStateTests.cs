using System.Text.Json.Nodes;
using McpLambda.Runtime.Bridge;
using McpLambda.Runtime.Invocations;
using McpLambda.Runtime.JsonRpc;
using McpLambda.Runtime.Protocol;
using ModelContextProtocol.Protocol;

namespace McpLambda.EndToEnd.Tests;

/// <summary>
/// The <c>requestState</c> of a multi round-trip request, against the bridge to the project's legacy test server
/// (<c>test_elicitation</c> asks the client): a retry with the state it was given goes on; one with state that was
/// altered, has expired, belongs to another caller or to another request is refused with -32602.
/// </summary>
public sealed class RequestStateTests : IAsyncLifetime
{
    private readonly StdioServerBridge _bridge = new(ModernClientTests.LegacyServer, new ServerRequestRelay(), modern: new ModernOptions { RequestStateLifetime = TimeSpan.FromSeconds(1) });

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _bridge.DisposeAsync();

    [Fact]
    public async Task The_state_given_completes_the_call_and_altered_foreign_or_other_request_state_is_refused()
    {
        var asked = await CallAsync(Elicitation("Who are you?"), "alice");
        var state = Assert.IsType<JsonRpcResponse>(asked).Result!["requestState"]!.GetValue<string>();
        Assert.Equal("input_required", ((JsonRpcResponse)asked).Result!["resultType"]!.GetValue<string>());

        var altered = state[..^2] + (state[^2] == 'A' ? 'B' : 'A') + state[^1];
        Assert.Contains("altered", Refusal(await CallAsync(Retry(Elicitation("Who are you?"), altered), "alice")));
        Assert.Contains("another caller", Refusal(await CallAsync(Retry(Elicitation("Who are you?"), state), "mallory")));
        Assert.Contains("another request", Refusal(await CallAsync(Retry(Elicitation("Someone else?"), state), "alice")));

        var done = Assert.IsType<JsonRpcResponse>(await CallAsync(Retry(Elicitation("Who are you?"), state), "alice"));
        Assert.Equal("complete", done.Result!["resultType"]!.GetValue<string>());
        Assert.Contains("octocat", done.Result!["content"]![0]!["text"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_retry_in_another_environment_runs_the_call_again_answering_the_server_from_the_retry()
    {
        // Two environments: a bridge each, with a server of its own, and the function's one sealing key.
        var key = System.Security.Cryptography.RandomNumberGenerator.GetBytes(32);
        await using var first = new StdioServerBridge(ModernClientTests.LegacyServer, new ServerRequestRelay(), modern: new ModernOptions { RequestStateKey = key });
        await using var second = new StdioServerBridge(ModernClientTests.LegacyServer, new ServerRequestRelay(), modern: new ModernOptions { RequestStateKey = key });

        var asked = Assert.IsType<JsonRpcResponse>(await CallAsync(first, Elicitation("Who are you?"), "alice"));
        var state = asked.Result!["requestState"]!.GetValue<string>();
        var done = Assert.IsType<JsonRpcResponse>(await CallAsync(second, Retry(Elicitation("Who are you?"), state), "alice"));

        Assert.Equal("complete", done.Result!["resultType"]!.GetValue<string>());
        Assert.Contains("octocat@example.com", done.Result!["content"]![0]!["text"]!.GetValue<string>());
    }

    [Fact]
    public async Task Expired_state_is_refused()
    {
        var asked = Assert.IsType<JsonRpcResponse>(await CallAsync(Elicitation("Who are you?"), "alice"));
        var state = asked.Result!["requestState"]!.GetValue<string>();

        // Sealed for 1 s, to the second: 2.5 s later it has lapsed.
        await Task.Delay(TimeSpan.FromSeconds(2.5));
        Assert.Contains("expired", Refusal(await CallAsync(Retry(Elicitation("Who are you?"), state), "alice")));
    }

    private Task<JsonRpcMessage> CallAsync(JsonObject parameters, string caller) => CallAsync(_bridge, parameters, caller);

    private static async Task<JsonRpcMessage> CallAsync(StdioServerBridge bridge, JsonObject parameters, string caller)
    {
        var request = new JsonRpcRequest { Id = new RequestId(Guid.NewGuid().ToString()), Method = RequestMethods.ToolsCall, Params = parameters };
        Assert.Null(ModernRequest.Admit(request));
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var invocation = InvocationContext.Outside(timeout.Token);
        invocation.Authenticated(new CallerIdentity(caller, null, []));
        return (await bridge.HandleAsync(request, null, invocation))!;
    }

    private static string Refusal(JsonRpcMessage answer)
    {
        var error = Assert.IsType<JsonRpcError>(answer);
        Assert.Equal(JsonRpcErrorCodes.InvalidParams, error.Error.Code);
        Assert.Equal(400, error.HttpStatus());
        return error.Error.Message;
    }

    private static JsonObject Elicitation(string message) => new()
    {
        ["name"] = "test_elicitation",
        ["arguments"] = new JsonObject { ["message"] = message },
        ["_meta"] = new JsonObject
        {
            [McpMetaKeys.ProtocolVersion] = McpProtocolVersions.Modern,
            [McpMetaKeys.ClientCapabilities] = new JsonObject { ["elicitation"] = new JsonObject() },
        },
    };

    private static JsonObject Retry(JsonObject parameters, string state)
    {
        parameters["requestState"] = state;
        parameters["inputResponses"] = new JsonObject
        {
            ["input-1"] = new JsonObject { ["action"] = "accept", ["content"] = new JsonObject { ["username"] = "octocat", ["email"] = "octocat@example.com" } },
        };
        return parameters;
    }
}
