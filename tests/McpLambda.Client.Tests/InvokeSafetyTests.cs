using System.Net;
using ModelContextProtocol.Protocol;

namespace McpLambda.Client.Tests;

/// <summary>
/// What the client transports refuse to do with signed requests: repeat a call that may have run, cross the network in
/// plain http, or follow a redirect.
/// </summary>
public sealed class InvokeSafetyTests
{
    [Fact]
    public async Task A_tools_call_that_failed_with_5xx_is_not_sent_again()
    {
        var received = 0;
        await using var server = LoopbackServer.Start(context =>
        {
            Interlocked.Increment(ref received);
            LoopbackServer.Respond(context.Response, 500, """{"message":"internal"}""", new Dictionary<string, string> { ["x-amzn-ErrorType"] = "ServiceException" });
            return Task.CompletedTask;
        });
        await using var session = await Transport(server.Url).ConnectAsync();

        var error = await Assert.ThrowsAsync<LambdaInvokeException>(() => session.SendMessageAsync(
            InvokeTransportTests.Message("""{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"charge-card"}}""")));

        Assert.Equal(1, received);
        Assert.Equal(HttpStatusCode.InternalServerError, error.StatusCode);
        Assert.Contains("not retried", error.Message);
    }

    [Theory]
    [InlineData("""{"jsonrpc":"2.0","id":1,"method":"tools/list"}""")]
    [InlineData("""{"jsonrpc":"2.0","id":1,"method":"ping"}""")]
    [InlineData("""{"jsonrpc":"2.0","id":1,"method":"resources/read","params":{"uri":"file:///a"}}""")]
    [InlineData("""{"jsonrpc":"2.0","method":"notifications/initialized"}""")]
    public async Task A_message_safe_to_repeat_is_retried_after_5xx(string json)
    {
        var received = 0;
        await using var server = LoopbackServer.Start(context =>
        {
            if (Interlocked.Increment(ref received) == 1)
            {
                LoopbackServer.Respond(context.Response, 502, """{"message":"bad gateway"}""");
            }
            else
            {
                LoopbackServer.Respond(context.Response, 200, json.Contains("\"id\"") ? """{"jsonrpc":"2.0","id":1,"result":{}}""" : "{}");
            }

            return Task.CompletedTask;
        });
        await using var session = await Transport(server.Url).ConnectAsync();

        await session.SendMessageAsync(InvokeTransportTests.Message(json));

        Assert.Equal(2, received);
    }

    [Fact]
    public async Task A_throttled_tools_call_is_retried_since_it_never_ran()
    {
        var received = 0;
        await using var server = LoopbackServer.Start(context =>
        {
            if (Interlocked.Increment(ref received) == 1)
            {
                LoopbackServer.Respond(context.Response, 429, """{"message":"Rate Exceeded."}""", new Dictionary<string, string> { ["x-amzn-ErrorType"] = "TooManyRequestsException" });
            }
            else
            {
                LoopbackServer.Respond(context.Response, 200, """{"jsonrpc":"2.0","id":1,"result":{"content":[]}}""");
            }

            return Task.CompletedTask;
        });
        await using var session = await Transport(server.Url).ConnectAsync();

        await session.SendMessageAsync(InvokeTransportTests.Message("""{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"x"}}"""));

        Assert.Equal(2, received);
        Assert.IsType<JsonRpcResponse>(await InvokeTransportTests.ReadAsync(session));
    }

    [Theory]
    [InlineData("http://lambda.us-east-1.amazonaws.com/")]
    [InlineData("http://10.0.0.5:9001/")]
    [InlineData("ftp://127.0.0.1/")]
    public void A_plain_http_endpoint_off_loopback_is_refused(string endpoint)
    {
        var invoke = Assert.Throws<ArgumentException>(() => new LambdaFunctionClientTransport(
            new LambdaFunctionClientTransportOptions { FunctionName = "f", RegionName = TestAws.Region, Endpoint = new Uri(endpoint), Credentials = TestAws.Credentials }));
        Assert.Contains(endpoint, invoke.Message);
        Assert.Throws<ArgumentException>(() => SigV4HttpClientTransport.Create(new Uri(endpoint), TestAws.Region, credentials: TestAws.Credentials));
    }

    [Theory]
    [InlineData("http://127.0.0.1:9001/")]
    [InlineData("http://localhost:9001/")]
    [InlineData("http://[::1]:9001/")]
    [InlineData("https://lambda.us-east-1.amazonaws.com/")]
    public async Task Https_and_loopback_http_endpoints_are_accepted(string endpoint)
    {
        _ = new LambdaFunctionClientTransport(new LambdaFunctionClientTransportOptions { FunctionName = "f", RegionName = TestAws.Region, Endpoint = new Uri(endpoint) });
        await using var transport = SigV4HttpClientTransport.Create(new Uri(endpoint), TestAws.Region, credentials: TestAws.Credentials);
    }

    [Fact]
    public async Task A_signed_request_is_not_sent_on_to_where_a_redirect_points()
    {
        var elsewhere = 0;
        await using var target = LoopbackServer.Start(context =>
        {
            Interlocked.Increment(ref elsewhere);
            LoopbackServer.Respond(context.Response, 200, "{}");
            return Task.CompletedTask;
        });
        await using var redirecting = LoopbackServer.Start(context =>
        {
            LoopbackServer.Respond(context.Response, 307, null, new Dictionary<string, string> { ["Location"] = target.Url.ToString() });
            return Task.CompletedTask;
        });
        using var http = SigV4HttpClientTransport.CreateHttpClient(Amazon.RegionEndpoint.USEast1, "lambda", TestAws.Credentials);

        using var response = await http.PostAsync(redirecting.Url, new StringContent("""{"jsonrpc":"2.0","id":1,"method":"ping"}"""));

        Assert.Equal(HttpStatusCode.TemporaryRedirect, response.StatusCode);
        Assert.Equal(0, elsewhere);
    }

    [Fact]
    public void A_handler_that_follows_redirects_is_refused_below_the_signer()
    {
        using var follows = new HttpClientHandler();
        using var wrapped = new PassThrough(new SocketsHttpHandler());

        Assert.Throws<ArgumentException>(() => SigV4HttpClientTransport.CreateHttpClient(Amazon.RegionEndpoint.USEast1, "lambda", TestAws.Credentials, follows));
        Assert.Throws<ArgumentException>(() => SigV4HttpClientTransport.CreateHttpClient(Amazon.RegionEndpoint.USEast1, "lambda", TestAws.Credentials, wrapped));
        Assert.Throws<ArgumentException>(() => new LambdaFunctionClientTransport(new LambdaFunctionClientTransportOptions { FunctionName = "f", RegionName = TestAws.Region }, follows));
        using var safe = new HttpClientHandler { AllowAutoRedirect = false };
        using var client = SigV4HttpClientTransport.CreateHttpClient(Amazon.RegionEndpoint.USEast1, "lambda", TestAws.Credentials, safe);
    }

    private static LambdaFunctionClientTransport Transport(Uri endpoint) => new(new LambdaFunctionClientTransportOptions
    {
        FunctionName = "f",
        RegionName = TestAws.Region,
        Endpoint = endpoint,
        Credentials = TestAws.Credentials,
        RetryBaseDelay = TimeSpan.FromMilliseconds(1),
        RetryMaxDelay = TimeSpan.FromMilliseconds(5),
    });

    private sealed class PassThrough(HttpMessageHandler inner) : DelegatingHandler(inner);
}
