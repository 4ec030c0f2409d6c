using System.Text;
using System.Text.Json.Nodes;
using McpLambda.Runtime.Local;
using McpLambda.Tests;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;

namespace McpLambda.EndToEnd.Tests;

/// <summary>Each transport's sample, run as Lambda runs it (events from the AWS documentation) and in local mode (a real MCP client).</summary>
public sealed class EveryWayInTests
{
    [Theory]
    [InlineData("EverythingFunction")]
    [InlineData("HttpApiFunction")]
    [InlineData("FunctionUrlFunction")]
    [InlineData("LambdaInvokeFunction")]
    public async Task Local_mode_serves_McpClient_for_every_transport(string sample)
    {
        var (function, url) = await SampleFunction.StartLocalAsync(sample);
        await using var _ = function;
        await using var client = await McpClient.CreateAsync(
            new HttpClientTransport(new HttpClientTransportOptions { Endpoint = url, TransportMode = HttpTransportMode.StreamableHttp }));

        var tools = await client.ListToolsAsync();
        Assert.Contains(tools, t => t.Name == "echo");
        var echo = await client.CallToolAsync("echo", new Dictionary<string, object?> { ["message"] = sample });
        Assert.Equal("Echo: " + sample, Assert.IsType<TextContentBlock>(Assert.Single(echo.Content)).Text);
    }

    [Fact]
    public async Task HTTP_API_payload_v2_event_with_cookies_gets_the_answer_as_a_v2_response()
    {
        await using var lambda = RuntimeApiEmulator.Start();
        await using var function = SampleFunction.StartUnderLambda("HttpApiFunction", lambda.Address);

        var response = await InvokeJsonAsync(lambda, function, Fixture("httpapi-v2-tools-call.json"));

        Assert.Equal(200, response["statusCode"]!.GetValue<int>());
        Assert.Equal("application/json", response["headers"]!["Content-Type"]!.GetValue<string>());
        Assert.False(response["isBase64Encoded"]!.GetValue<bool>());
        var body = JsonNode.Parse(response["body"]!.GetValue<string>())!;
        Assert.Equal(11, body["id"]!.GetValue<int>());
        Assert.Equal("Echo: from an HTTP API", body["result"]!["content"]![0]!["text"]!.GetValue<string>());

        var list = Fixture("httpapi-v2-tools-call.json");
        list["body"] = """{"jsonrpc":"2.0","id":12,"method":"tools/list"}""";
        var listed = JsonNode.Parse((await InvokeJsonAsync(lambda, function, list))["body"]!.GetValue<string>())!;
        Assert.Contains(listed["result"]!["tools"]!.AsArray(), t => t!["name"]!.GetValue<string>() == "get-sum");
    }

    [Fact]
    public async Task Function_URL_event_logs_the_IAM_caller_from_the_authorizer_context()
    {
        await using var lambda = RuntimeApiEmulator.Start();
        await using var function = SampleFunction.StartUnderLambda("FunctionUrlFunction", lambda.Address);

        var response = await InvokeJsonAsync(lambda, function, Fixture("functionurl-iam-tools-list.json"));

        Assert.Equal(200, response["statusCode"]!.GetValue<int>());
        var body = JsonNode.Parse(response["body"]!.GetValue<string>())!;
        Assert.Equal("url-1", body["id"]!.GetValue<string>());
        Assert.Contains(body["result"]!["tools"]!.AsArray(), t => t!["name"]!.GetValue<string>() == "echo");
        Assert.Contains("arn:aws:iam::111122223333:user/example-user", function.Output);
    }

    [Fact]
    public async Task Lambda_Invoke_takes_JSON_RPC_messages_batches_and_notifications()
    {
        await using var lambda = RuntimeApiEmulator.Start();
        await using var function = SampleFunction.StartUnderLambda("LambdaInvokeFunction", lambda.Address);

        var list = await InvokeJsonAsync(lambda, function, JsonNode.Parse("""{"jsonrpc":"2.0","id":1,"method":"tools/list"}""")!);
        Assert.Contains(list["result"]!["tools"]!.AsArray(), t => t!["name"]!.GetValue<string>() == "echo");

        var call = await InvokeJsonAsync(lambda, function, JsonNode.Parse("""{"jsonrpc":"2.0","id":"c","method":"tools/call","params":{"name":"echo","arguments":{"message":"invoked"}}}""")!);
        Assert.Equal("c", call["id"]!.GetValue<string>());
        Assert.Equal("Echo: invoked", call["result"]!["content"]![0]!["text"]!.GetValue<string>());

        var notification = await InvokeJsonAsync(lambda, function, JsonNode.Parse("""{"jsonrpc":"2.0","method":"notifications/initialized"}""")!);
        Assert.Empty(notification.AsObject());

        var malformed = await InvokeJsonAsync(lambda, function, JsonNode.Parse("""{"jsonrpc":"2.0","id":5}""")!);
        Assert.Equal(5, malformed["id"]!.GetValue<int>());
        Assert.Equal(-32600, malformed["error"]!["code"]!.GetValue<int>());

        var batch = await InvokeJsonAsync(lambda, function, JsonNode.Parse("""
            [{"jsonrpc":"2.0","id":1,"method":"ping"},{"jsonrpc":"2.0","method":"notifications/initialized"},{"jsonrpc":"2.0","id":2,"method":"tools/call","params":{"name":"get-sum","arguments":{"a":1,"b":2}}}]
            """)!);
        Assert.Equal([1, 2], batch.AsArray().Select(a => a!["id"]!.GetValue<int>()).Order());
    }

    private static async Task<JsonNode> InvokeJsonAsync(RuntimeApiEmulator lambda, SampleFunction function, JsonNode request)
    {
        var result = await lambda.InvokeAsync(Encoding.UTF8.GetBytes(request.ToJsonString()));
        Assert.True(result.FunctionError is null, Encoding.UTF8.GetString(result.Payload) + "\n" + function.Output);
        return JsonNode.Parse(result.Payload)!;
    }

    private static JsonNode Fixture(string name) => JsonNode.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fixtures", name)))!;
}
