using System.Net;
using System.Text.Json;
using ModelContextProtocol;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;

namespace McpLambda.Client.Tests;

/// <summary>LambdaFunctionClientTransport under McpClient, through the local Invoke API, to real function processes.</summary>
[Collection(LambdaCollection.Name)]
public sealed class InvokeTransportTests(LambdaFixture lambda)
{
    [Fact]
    public async Task McpClient_initializes_lists_and_calls_tools_through_the_Invoke_API()
    {
        await using var client = await McpClient.CreateAsync(new LambdaFunctionClientTransport(lambda.Options()));

        Assert.NotNull(client.ServerCapabilities.Tools);
        var tools = await client.ListToolsAsync();
        Assert.Contains(tools, t => t.Name == "echo");
        var echo = await client.CallToolAsync("echo", new Dictionary<string, object?> { ["message"] = "through Invoke" });
        Assert.Equal("Echo: through Invoke", Assert.IsType<TextContentBlock>(Assert.Single(echo.Content)).Text);
        var sum = await client.CallToolAsync("get-sum", new Dictionary<string, object?> { ["a"] = 2, ["b"] = 3 });
        Assert.Contains("5", Assert.IsType<TextContentBlock>(Assert.Single(sum.Content)).Text);
    }

    [Fact]
    public async Task A_full_ARN_with_a_qualifier_is_signed_and_routed()
    {
        var options = lambda.Options(lambda.InvokeApi.FunctionArn(LambdaFixture.EverythingFunction));
        options.Qualifier = "$LATEST";
        options.Region = null;
        options.ClientContext = """{"custom":{"tenant":"a b+c"}}""";
        var transport = new LambdaFunctionClientTransport(options);
        Assert.Contains("/functions/arn%3Aaws%3Alambda%3Aus-east-1%3A", transport.InvokeUri.AbsoluteUri);
        Assert.EndsWith("?Qualifier=%24LATEST", transport.InvokeUri.AbsoluteUri);

        await using var client = await McpClient.CreateAsync(transport);
        var echo = await client.CallToolAsync("echo", new Dictionary<string, object?> { ["message"] = "by ARN" });

        Assert.Equal("Echo: by ARN", Assert.IsType<TextContentBlock>(Assert.Single(echo.Content)).Text);
        Assert.Contains(options.ClientContext, lambda.InvokeApi.ClientContexts);
    }

    [Fact]
    public async Task A_batch_and_a_notification_come_back_as_messages_and_nothing()
    {
        await using var session = await new LambdaFunctionClientTransport(lambda.Options()).ConnectAsync();

        await session.SendMessageAsync(Message("""{"jsonrpc":"2.0","method":"notifications/initialized"}"""));
        await session.SendMessageAsync(Message("""{"jsonrpc":"2.0","id":"p","method":"ping"}"""));
        var ping = Assert.IsType<JsonRpcResponse>(await ReadAsync(session));
        Assert.Equal(new RequestId("p"), ping.Id);
        Assert.False(session.MessageReader.TryRead(out _));
    }

    [Fact]
    public async Task Throttling_is_retried_with_back_off_until_the_call_succeeds()
    {
        await using var client = await McpClient.CreateAsync(new LambdaFunctionClientTransport(lambda.Options()));
        var before = lambda.InvokeApi.Received;
        lambda.InvokeApi.ThrottleNext(2);

        var echo = await client.CallToolAsync("echo", new Dictionary<string, object?> { ["message"] = "after throttling" });

        Assert.Equal("Echo: after throttling", Assert.IsType<TextContentBlock>(Assert.Single(echo.Content)).Text);
        Assert.Equal(3, lambda.InvokeApi.Received - before);
    }

    [Fact]
    public async Task Throttling_past_the_retry_budget_fails_with_the_AWS_error()
    {
        var options = lambda.Options();
        options.MaxRetries = 2;
        await using var session = await new LambdaFunctionClientTransport(options).ConnectAsync();
        var before = lambda.InvokeApi.Received;
        lambda.InvokeApi.ThrottleNext(10);
        try
        {
            var error = await Assert.ThrowsAsync<LambdaInvokeException>(() => session.SendMessageAsync(Message("""{"jsonrpc":"2.0","id":1,"method":"ping"}""")));

            Assert.Equal(HttpStatusCode.TooManyRequests, error.StatusCode);
            Assert.Equal("TooManyRequestsException", error.ErrorCode);
            Assert.Equal(3, error.Attempts);
            Assert.Equal(3, lambda.InvokeApi.Received - before);
            Assert.Contains("Rate Exceeded.", error.Message);
        }
        finally
        {
            lambda.InvokeApi.ThrottleNext(0);
        }
    }

    [Fact]
    public async Task An_unknown_function_fails_at_once_with_ResourceNotFoundException()
    {
        await using var session = await new LambdaFunctionClientTransport(lambda.Options("no-such-function")).ConnectAsync();

        var error = await Assert.ThrowsAsync<LambdaInvokeException>(() => session.SendMessageAsync(Message("""{"jsonrpc":"2.0","id":1,"method":"ping"}""")));

        Assert.Equal(HttpStatusCode.NotFound, error.StatusCode);
        Assert.Equal("ResourceNotFoundException", error.ErrorCode);
        Assert.Equal(1, error.Attempts);
        Assert.Contains("Function not found", error.Message);
    }

    [Fact]
    public async Task An_oversized_message_is_refused_before_anything_is_sent()
    {
        await using var client = await McpClient.CreateAsync(new LambdaFunctionClientTransport(lambda.Options()));
        var before = lambda.InvokeApi.Received;

        var error = await Assert.ThrowsAsync<LambdaPayloadTooLargeException>(
            () => client.CallToolAsync("echo", new Dictionary<string, object?> { ["message"] = new string('x', 7 * 1024 * 1024) }).AsTask());

        Assert.Equal(6 * 1024 * 1024, error.LimitBytes);
        Assert.True(error.PayloadBytes > error.LimitBytes);
        Assert.Equal(before, lambda.InvokeApi.Received);
        var echo = await client.CallToolAsync("echo", new Dictionary<string, object?> { ["message"] = "still connected" });
        Assert.Equal("Echo: still connected", Assert.IsType<TextContentBlock>(Assert.Single(echo.Content)).Text);
    }

    [Fact]
    public async Task Lambda_refuses_a_payload_over_6_MB_with_413_when_the_client_limit_is_raised()
    {
        var options = lambda.Options();
        options.MaxPayloadBytes = 8 * 1024 * 1024;
        await using var session = await new LambdaFunctionClientTransport(options).ConnectAsync();
        var big = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/call\",\"params\":{\"name\":\"echo\",\"arguments\":{\"message\":\"" + new string('x', 6 * 1024 * 1024) + "\"}}}";

        var error = await Assert.ThrowsAsync<LambdaInvokeException>(() => session.SendMessageAsync(Message(big)));

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, error.StatusCode);
        Assert.Equal("RequestEntityTooLargeException", error.ErrorCode);
        Assert.Equal(1, error.Attempts);
    }

    [Fact]
    public async Task A_function_error_answers_the_request_with_a_JSON_RPC_error_and_reports_the_exception()
    {
        var reported = new List<LambdaFunctionException>();
        var options = lambda.Options(LambdaFixture.FaultyFunction);
        options.IncludeLogTail = true;
        options.OnFunctionError = reported.Add;
        await using var client = await McpClient.CreateAsync(new LambdaFunctionClientTransport(options));

        var error = await Assert.ThrowsAsync<McpProtocolException>(
            () => client.CallToolAsync("echo", new Dictionary<string, object?> { ["message"] = FaultFunction.Marker }).AsTask());

        Assert.Equal(McpErrorCode.InternalError, error.ErrorCode);
        Assert.Contains("InvalidOperationException", error.Message);
        Assert.Contains("The function blew up on purpose.", error.Message);
        var exception = Assert.Single(reported);
        Assert.Equal("Unhandled", exception.FunctionError);
        Assert.Equal("InvalidOperationException", exception.ErrorType);
        Assert.Equal("The function blew up on purpose.", exception.ErrorMessage);
        Assert.Equal(LambdaFixture.FaultyFunction, exception.FunctionName);
        Assert.NotNull(exception.RequestId);
        Assert.Contains("START RequestId: " + exception.RequestId, exception.LogTail);

        // The session survives: the next call works.
        var echo = await client.CallToolAsync("echo", new Dictionary<string, object?> { ["message"] = "fine" });
        Assert.Equal("Echo: fine", Assert.IsType<TextContentBlock>(Assert.Single(echo.Content)).Text);
    }

    [Fact]
    public async Task A_function_error_on_a_notification_throws_LambdaFunctionException_from_the_send()
    {
        await using var session = await new LambdaFunctionClientTransport(lambda.Options(LambdaFixture.FaultyFunction)).ConnectAsync();

        var error = await Assert.ThrowsAsync<LambdaFunctionException>(
            () => session.SendMessageAsync(Message($$"""{"jsonrpc":"2.0","method":"notifications/{{FaultFunction.Marker}}"}""")));

        Assert.Equal("InvalidOperationException", error.ErrorType);
        Assert.Equal("The function blew up on purpose.", error.ErrorMessage);
        await session.SendMessageAsync(Message("""{"jsonrpc":"2.0","id":2,"method":"ping"}"""));
        Assert.IsType<JsonRpcResponse>(await ReadAsync(session));
    }

    [Fact]
    public async Task Missing_region_and_bad_options_are_clear_errors()
    {
        Assert.Throws<ArgumentException>(() => new LambdaFunctionClientTransport(new LambdaFunctionClientTransportOptions()));
        Assert.Throws<ArgumentOutOfRangeException>(() => new LambdaFunctionClientTransport(new LambdaFunctionClientTransportOptions { FunctionName = "f", MaxRetries = -1 }));

        var arnRegion = new LambdaFunctionClientTransport(new LambdaFunctionClientTransportOptions { FunctionName = "arn:aws:lambda:eu-west-1:123456789012:function:f", Credentials = TestAws.Credentials });
        Assert.Equal("https://lambda.eu-west-1.amazonaws.com/2015-03-31/functions/arn%3Aaws%3Alambda%3Aeu-west-1%3A123456789012%3Afunction%3Af/invocations", arnRegion.InvokeUri.AbsoluteUri);
        var china = new LambdaFunctionClientTransport(new LambdaFunctionClientTransportOptions { FunctionName = "f", RegionName = "cn-north-1", Qualifier = "live" });
        Assert.Equal("https://lambda.cn-north-1.amazonaws.com.cn/2015-03-31/functions/f/invocations?Qualifier=live", china.InvokeUri.AbsoluteUri);
        await Task.CompletedTask;
    }

    internal static JsonRpcMessage Message(string json)
        => JsonSerializer.Deserialize(json, (System.Text.Json.Serialization.Metadata.JsonTypeInfo<JsonRpcMessage>)McpJsonUtilities.DefaultOptions.GetTypeInfo(typeof(JsonRpcMessage)))!;

    internal static async Task<JsonRpcMessage> ReadAsync(ModelContextProtocol.Protocol.ITransport session)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        return await session.MessageReader.ReadAsync(timeout.Token);
    }
}
