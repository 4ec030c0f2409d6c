using System.Text;
using System.Text.Json.Nodes;
using McpLambda.AgentCore.Tests.Support;
using McpLambda.Runtime.AgentCore;
using McpLambda.Runtime.EventAdapters;
using McpLambda.Runtime.Http;
using McpLambda.Runtime.RuntimeApi;
using McpLambda.Tests;

namespace McpLambda.AgentCore.Tests;

/// <summary>The transport on its own, over a real server-everything: one invocation in, the payload or the failure out.</summary>
public sealed class AgentCoreGatewayEventAdapterTests(EverythingServerFixture server) : IClassFixture<EverythingServerFixture>
{
    private static readonly AgentCoreGatewayEventAdapter Transport = AgentCoreGatewayEventAdapter.Instance;

    [Fact]
    public async Task Echo_returns_the_servers_CallToolResult()
    {
        var result = await InvokeAsync("""{"message":"hello gateway"}""", TestPaths.ClientContext("everything-target___echo"));

        Assert.Equal("text", result["content"]![0]!["type"]!.GetValue<string>());
        Assert.Equal("Echo: hello gateway", result["content"]![0]!["text"]!.GetValue<string>());
        Assert.Null(result["isError"]);
    }

    [Fact]
    public async Task Get_sum_gets_its_arguments_from_the_event()
    {
        var result = await InvokeAsync("""{"a":2,"b":40}""", TestPaths.ClientContext("everything-target___get-sum"));

        Assert.Contains("42", result["content"]![0]!["text"]!.GetValue<string>());
    }

    [Fact]
    public async Task Only_the_first_delimiter_separates_the_target_so_tool_names_may_contain_it()
    {
        var error = await Assert.ThrowsAsync<AgentCoreUnknownToolException>(() => InvokeAsync("{}", TestPaths.ClientContext("target___no___such")));

        Assert.Equal("no___such", error.ToolName);
    }

    [Fact]
    public async Task An_empty_or_null_event_means_no_arguments()
    {
        var empty = await InvokeAsync("", TestPaths.ClientContext("t___get-env"));
        var literalNull = await InvokeAsync("null", TestPaths.ClientContext("t___get-env"));

        Assert.Equal("text", empty["content"]![0]!["type"]!.GetValue<string>());
        Assert.Equal("text", literalNull["content"]![0]!["type"]!.GetValue<string>());
    }

    [Fact]
    public async Task Structured_content_is_returned_with_the_content()
    {
        var result = await InvokeAsync("""{"location":"Chicago"}""", TestPaths.ClientContext("t___get-structured-content"));

        Assert.NotNull(result["structuredContent"]!["temperature"]);
        Assert.NotEmpty(result["content"]!.AsArray());
    }

    [Fact]
    public async Task No_client_context_is_a_missing_tool_name()
    {
        var error = await Assert.ThrowsAsync<AgentCoreMissingToolNameException>(() => InvokeAsync("""{"message":"x"}""", null));

        Assert.Equal("AgentCore.MissingToolName", error.ErrorType);
        Assert.Contains("custom.bedrockAgentCoreToolName", error.Message);
    }

    [Theory]
    [InlineData("""{"custom":{}}""")]
    [InlineData("""{"client":{"installation_id":"x"},"env":{"locale":"en"}}""")]
    [InlineData("""{"custom":{"bedrockAgentCoreToolName":""}}""")]
    [InlineData("""{"custom":null}""")]
    public async Task A_client_context_without_the_tool_name_is_a_missing_tool_name(string clientContext)
    {
        var error = await Assert.ThrowsAsync<AgentCoreMissingToolNameException>(() => InvokeAsync("{}", clientContext));

        Assert.Contains("has no custom.bedrockAgentCoreToolName", error.Message);
    }

    [Theory]
    [InlineData("{not json", "not valid JSON")]
    [InlineData("""["custom"]""", "must be a JSON object")]
    [InlineData("""{"custom":"everything-target___echo"}""", "\"custom\" must be an object")]
    [InlineData("""{"custom":{"bedrockAgentCoreToolName":7}}""", "bedrockAgentCoreToolName must be a string")]
    public async Task A_malformed_client_context_says_what_is_wrong(string clientContext, string expected)
    {
        var error = await Assert.ThrowsAsync<AgentCoreMalformedClientContextException>(() => InvokeAsync("{}", clientContext));

        Assert.Equal("AgentCore.MalformedClientContext", error.ErrorType);
        Assert.Contains(expected, error.Message);
    }

    [Theory]
    [InlineData("echo")]
    [InlineData("everything-target___")]
    public async Task A_tool_name_without_a_target_prefix_or_tool_is_invalid(string gatewayToolName)
    {
        var error = await Assert.ThrowsAsync<AgentCoreInvalidToolNameException>(() => InvokeAsync("{}", TestPaths.ClientContext(gatewayToolName)));

        Assert.Equal("AgentCore.InvalidToolName", error.ErrorType);
        Assert.Contains(gatewayToolName, error.Message);
    }

    [Fact]
    public async Task An_unknown_tool_is_reported_as_such()
    {
        var error = await Assert.ThrowsAsync<AgentCoreUnknownToolException>(() => InvokeAsync("{}", TestPaths.ClientContext("everything-target___no-such-tool")));

        Assert.Equal("AgentCore.UnknownTool", error.ErrorType);
        Assert.Equal("no-such-tool", error.ToolName);
        Assert.Contains("Tool no-such-tool not found", error.Message);
    }

    [Fact]
    public async Task A_tool_result_with_isError_becomes_a_tool_error_with_its_text()
    {
        var error = await Assert.ThrowsAsync<AgentCoreToolErrorException>(() => InvokeAsync("""{"a":"two"}""", TestPaths.ClientContext("everything-target___get-sum")));

        Assert.Equal("AgentCore.ToolError", error.ErrorType);
        Assert.Equal("get-sum", error.ToolName);
        Assert.StartsWith("MCP error -32602: Input validation error", error.Message);
    }

    [Fact]
    public async Task The_reference_compatible_instance_returns_an_isError_result_as_the_payload()
    {
        var invocation = Invocation("""{"a":"two"}""", TestPaths.ClientContext("everything-target___get-sum"));
        var payload = await AgentCoreGatewayEventAdapter.ReturningToolErrors.HandleAsync(invocation, server.Pipeline, CancellationToken.None);
        var result = JsonNode.Parse(payload)!;

        Assert.True(result["isError"]!.GetValue<bool>());
        Assert.Contains("Input validation error", result["content"]![0]!["text"]!.GetValue<string>());

        // An unknown tool is still a failure: the gateway names only the tools of its schema.
        await Assert.ThrowsAsync<AgentCoreUnknownToolException>(async () =>
            await AgentCoreGatewayEventAdapter.ReturningToolErrors.HandleAsync(Invocation("{}", TestPaths.ClientContext("t___nope")), server.Pipeline, CancellationToken.None));
    }

    [Theory]
    [InlineData("[1,2]", "must be a JSON object (the tool's arguments), not an array")]
    [InlineData("\"echo\"", "must be a JSON object (the tool's arguments), not a string")]
    [InlineData("42", "must be a JSON object (the tool's arguments), not a number")]
    [InlineData("{\"message\":", "not valid JSON")]
    public async Task An_event_that_is_not_a_JSON_object_is_refused(string payload, string expected)
    {
        var error = await Assert.ThrowsAsync<AgentCoreInvalidEventException>(() => InvokeAsync(payload, TestPaths.ClientContext("t___echo")));

        Assert.Equal("AgentCore.InvalidEvent", error.ErrorType);
        Assert.Contains(expected, error.Message);
    }

    [Fact]
    public void Accepts_invocations_whose_client_context_names_a_tool()
    {
        var shape = EventShape.Read("""{"message":"x"}"""u8);

        Assert.True(Transport.Accepts(Invocation("{}", TestPaths.ClientContext("t___echo")), shape));
        Assert.False(Transport.Accepts(Invocation("{}", null), shape));
        Assert.False(Transport.Accepts(Invocation("{}", """{"custom":{"other":1}}"""), shape));
        Assert.False(Transport.Accepts(Invocation("{}", "{broken"), shape));
    }

    [Fact]
    public void Local_mode_turns_the_body_and_the_tool_header_into_an_event_and_a_client_context()
    {
        var headers = new HttpHeaderCollection();
        headers.Set(AgentCoreGatewayEventAdapter.LocalToolNameHeader, "get-sum");
        var payload = Transport.CreateLocalEvent(new BufferedHttpRequest("POST", "/mcp", headers, Encoding.UTF8.GetBytes("""{"a":1,"b":2}""")), out var clientContext);

        Assert.Equal("""{"a":1,"b":2}""", Encoding.UTF8.GetString(payload));
        Assert.Equal("local___get-sum", JsonNode.Parse(clientContext!)!["custom"]!["bedrockAgentCoreToolName"]!.GetValue<string>());

        headers.Set(AgentCoreGatewayEventAdapter.LocalToolNameHeader, "mine___echo");
        var empty = Transport.CreateLocalEvent(new BufferedHttpRequest("POST", "/mcp", headers, ReadOnlyMemory<byte>.Empty), out clientContext);
        Assert.Equal("{}", Encoding.UTF8.GetString(empty));
        Assert.Equal("mine___echo", JsonNode.Parse(clientContext!)!["custom"]!["bedrockAgentCoreToolName"]!.GetValue<string>());

        Transport.CreateLocalEvent(new BufferedHttpRequest("POST", "/mcp", new HttpHeaderCollection(), ReadOnlyMemory<byte>.Empty), out clientContext);
        Assert.Null(clientContext);
    }

    [Fact]
    public void Local_mode_answers_200_with_the_payload_as_JSON()
    {
        var response = Transport.ReadLocalResponse("""{"content":[]}"""u8);

        Assert.Equal(200, response.StatusCode);
        Assert.Equal("application/json", response.ContentType);
        Assert.Equal("""{"content":[]}""", Encoding.UTF8.GetString(response.Body.Span));
    }

    private async Task<JsonNode> InvokeAsync(string payload, string? clientContext)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        var bytes = await Transport.HandleAsync(Invocation(payload, clientContext), server.Pipeline, timeout.Token);
        return JsonNode.Parse(bytes)!;
    }

    private static LambdaInvocation Invocation(string payload, string? clientContext) => new(
        Guid.NewGuid().ToString(),
        DateTimeOffset.UtcNow.AddMinutes(1),
        "arn:aws:lambda:us-east-1:123456789012:function:agentcore",
        null,
        clientContext,
        null,
        Encoding.UTF8.GetBytes(payload));
}
