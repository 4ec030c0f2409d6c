using System.Text;
using System.Text.Json.Nodes;
using McpLambda.Runtime.Local;
using McpLambda.Tests;

namespace McpLambda.EndToEnd.Tests;

/// <summary>
/// The sample as Lambda runs it: its own process, fetching invocations from a Runtime API. The test
/// plays the Lambda service: it queues API Gateway events and reads the responses the function posts.
/// </summary>
public sealed class LambdaRuntimeTests : IAsyncLifetime
{
    private RuntimeApiEmulator _lambda = null!;
    private SampleFunction _function = null!;

    public Task InitializeAsync()
    {
        _lambda = RuntimeApiEmulator.Start();
        _function = SampleFunction.StartUnderLambda("EverythingFunction", _lambda.Address);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await _function.DisposeAsync();
        await _lambda.DisposeAsync();
    }

    [Fact]
    public async Task A_documented_REST_proxy_event_with_a_base64_body_gets_the_servers_answer()
    {
        var response = await InvokeAsync(Fixture("apigateway-rest-tools-call.json"));

        Assert.Equal(200, response["statusCode"]!.GetValue<int>());
        Assert.Equal("application/json", response["headers"]!["Content-Type"]!.GetValue<string>());
        var body = JsonNode.Parse(response["body"]!.GetValue<string>())!;
        Assert.Equal(7, body["id"]!.GetValue<int>());
        Assert.Equal("Echo: from API Gateway", body["result"]!["content"]![0]!["text"]!.GetValue<string>());
    }

    [Fact]
    public async Task Tools_list_and_tools_call_through_the_runtime_loop()
    {
        var list = await PostAsync("""{"jsonrpc":"2.0","id":"list-1","method":"tools/list"}""");
        Assert.Equal("list-1", list["id"]!.GetValue<string>());
        Assert.Contains(list["result"]!["tools"]!.AsArray(), tool => tool!["name"]!.GetValue<string>() == "get-sum");

        var sum = await PostAsync("""{"jsonrpc":"2.0","id":2,"method":"tools/call","params":{"name":"get-sum","arguments":{"a":2,"b":40}}}""");
        Assert.Contains("42", sum["result"]!["content"]![0]!["text"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_malformed_event_gets_a_400_and_the_next_invocation_works()
    {
        var result = await _lambda.InvokeAsync(Encoding.UTF8.GetBytes("""{"httpMethod": 42}"""));
        Assert.Null(result.FunctionError);
        var response = JsonNode.Parse(result.Payload)!;
        Assert.Equal(400, response["statusCode"]!.GetValue<int>());
        Assert.Contains("Malformed API Gateway REST event", response["body"]!.GetValue<string>());

        var echo = await PostAsync("""{"jsonrpc":"2.0","id":3,"method":"tools/call","params":{"name":"echo","arguments":{"message":"still here"}}}""");
        Assert.Equal("Echo: still here", echo["result"]!["content"]![0]!["text"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_GET_event_is_refused_with_405_and_an_Allow_header()
    {
        var request = Fixture("apigateway-rest-tools-call.json");
        request["httpMethod"] = "GET";
        request["body"] = null;
        request["isBase64Encoded"] = false;

        var response = await InvokeAsync(request);

        Assert.Equal(405, response["statusCode"]!.GetValue<int>());
        Assert.Equal("POST, OPTIONS", response["headers"]!["Allow"]!.GetValue<string>());
    }

    [Theory]
    [InlineData(null, 200)]
    [InlineData("https://abcdef1234.execute-api.us-east-1.amazonaws.com", 200)]
    [InlineData("https://attacker.example", 403)]
    public async Task By_default_only_requests_without_an_Origin_and_pages_of_the_functions_own_host_are_served(string? origin, int status)
    {
        var request = Fixture("apigateway-rest-tools-call.json");
        if (origin is not null)
        {
            request["headers"]!["Origin"] = origin;
            request["multiValueHeaders"]!["Origin"] = new JsonArray(origin);
        }

        var response = await InvokeAsync(request);

        Assert.Equal(status, response["statusCode"]!.GetValue<int>());
        Assert.Contains("Origin: only requests without one (MCP clients outside a browser) and pages of the function's own https host are served", _function.Output);
    }

    private async Task<JsonNode> PostAsync(string jsonRpc)
    {
        var request = Fixture("apigateway-rest-tools-call.json");
        request["body"] = jsonRpc;
        request["isBase64Encoded"] = false;
        var response = await InvokeAsync(request);
        Assert.Equal(200, response["statusCode"]!.GetValue<int>());
        return JsonNode.Parse(response["body"]!.GetValue<string>())!;
    }

    private async Task<JsonNode> InvokeAsync(JsonNode request)
    {
        var result = await _lambda.InvokeAsync(Encoding.UTF8.GetBytes(request.ToJsonString()));
        Assert.True(result.FunctionError is null, Encoding.UTF8.GetString(result.Payload) + "\n" + _function.Output);
        return JsonNode.Parse(result.Payload)!;
    }

    private static JsonNode Fixture(string name) => JsonNode.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fixtures", name)))!;
}
