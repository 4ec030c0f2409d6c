using System.Text;
using System.Text.Json.Nodes;
using McpLambda.AgentCore.Tests.Support;
using McpLambda.Runtime.AgentCore;
using McpLambda.Runtime.Bridge;
using McpLambda.Runtime.EventAdapters;
using McpLambda.Runtime.Hosting;
using McpLambda.Runtime.Local;
using McpLambda.Runtime.RuntimeApi;
using McpLambda.Tests;

namespace McpLambda.AgentCore.Tests;

/// <summary>
/// The function as Lambda runs it, in process: the runtime loop fetches invocations from an emulated
/// Runtime API, which passes the client context as the <c>Lambda-Runtime-Client-Context</c> header the way
/// Lambda does for an AgentCore Gateway invocation, and posts back responses or invocation errors.
/// </summary>
public sealed class AgentCoreRuntimeLoopTests : IAsyncLifetime
{
    private readonly CancellationTokenSource _stop = new();
    private RuntimeApiEmulator _lambda = null!;
    private RuntimeApiClient _client = null!;
    private StdioServerBridge _bridge = null!;
    private Task<int> _loop = null!;

    public Task InitializeAsync()
    {
        _lambda = RuntimeApiEmulator.Start(TimeSpan.FromSeconds(20));
        _client = new RuntimeApiClient(_lambda.Address);
        _bridge = new StdioServerBridge(TestRepository.EverythingServer());
        var pipeline = new McpHandlers(_bridge);
        _loop = new LambdaRuntimeLoop(_client, AgentCoreGatewayEventAdapter.Instance, _bridge, pipeline).RunAsync(1, _stop.Token);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await _stop.CancelAsync();
        await Task.WhenAny(_loop, Task.Delay(TimeSpan.FromSeconds(5)));
        await _bridge.DisposeAsync();
        _client.Dispose();
        await _lambda.DisposeAsync();
        _stop.Dispose();
    }

    [Fact]
    public async Task Echo_and_get_sum_answer_with_their_tool_results()
    {
        var echo = await InvokeAsync("""{"message":"through the runtime API"}""", TestPaths.ClientContext("everything-target___echo"));
        Assert.Null(echo.FunctionError);
        Assert.Equal("Echo: through the runtime API", JsonNode.Parse(echo.Payload)!["content"]![0]!["text"]!.GetValue<string>());

        var sum = await InvokeAsync("""{"a":20,"b":22}""", TestPaths.ClientContext("everything-target___get-sum"));
        Assert.Null(sum.FunctionError);
        Assert.Equal("The sum of 20 and 22 is 42.", JsonNode.Parse(sum.Payload)!["content"]![0]!["text"]!.GetValue<string>());
    }

    [Fact]
    public async Task Each_failure_is_a_distinct_invocation_error_and_the_next_invocation_works()
    {
        AssertFailure(
            await InvokeAsync("""{"message":"x"}""", null),
            "AgentCore.MissingToolName", nameof(AgentCoreMissingToolNameException), "no client context");

        AssertFailure(
            await InvokeAsync("""{"message":"x"}""", """{"custom":{"bedrockAgentCoreGatewayId":"gw"}}"""),
            "AgentCore.MissingToolName", nameof(AgentCoreMissingToolNameException), "has no custom.bedrockAgentCoreToolName");

        AssertFailure(
            await InvokeAsync("""{"message":"x"}""", """{"custom": [1, 2]}"""),
            "AgentCore.MalformedClientContext", nameof(AgentCoreMalformedClientContextException), "\"custom\" must be an object, not an array");

        AssertFailure(
            await InvokeAsync("{}", TestPaths.ClientContext("everything-target___does-not-exist")),
            "AgentCore.UnknownTool", nameof(AgentCoreUnknownToolException), "The MCP server has no tool 'does-not-exist': MCP error -32602: Tool does-not-exist not found");

        AssertFailure(
            await InvokeAsync("""{"a":1}""", TestPaths.ClientContext("everything-target___get-sum")),
            "AgentCore.ToolError", nameof(AgentCoreToolErrorException), "MCP error -32602: Input validation error: Invalid arguments for tool get-sum");

        AssertFailure(
            await InvokeAsync("[]", TestPaths.ClientContext("everything-target___echo")),
            "AgentCore.InvalidEvent", nameof(AgentCoreInvalidEventException), "The event must be a JSON object");

        var after = await InvokeAsync("""{"message":"still serving"}""", TestPaths.ClientContext("everything-target___echo"));
        Assert.Null(after.FunctionError);
        Assert.Equal("Echo: still serving", JsonNode.Parse(after.Payload)!["content"]![0]!["text"]!.GetValue<string>());
    }

    private async Task<LambdaInvocationResult> InvokeAsync(string payload, string? clientContext)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(25));
        return await _lambda.InvokeAsync(Encoding.UTF8.GetBytes(payload), new LambdaInvokeOptions(ClientContext: clientContext), timeout.Token);
    }

    /// <summary>
    /// The error type the function reports: the exception's <c>ErrorType</c> where the
    /// runtime loop reads it, otherwise the exception's type name, which names the same kind of failure.
    /// </summary>
    private static void AssertFailure(LambdaInvocationResult result, string errorType, string exceptionName, string message)
    {
        Assert.NotNull(result.FunctionError);
        var document = JsonNode.Parse(result.Payload)!;
        var reported = document["errorType"]!.GetValue<string>();
        Assert.True(reported == errorType || reported == exceptionName, $"errorType was '{reported}', expected '{errorType}' or '{exceptionName}'");
        Assert.Equal(reported, result.FunctionError);
        Assert.Contains(message, document["errorMessage"]!.GetValue<string>());
    }
}
