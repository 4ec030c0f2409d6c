using System.Net;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;

namespace McpLambda.Client.Tests;

/// <summary>SigV4-signed Streamable HTTP under McpClient, through the local function URL, to the FunctionUrlFunction sample.</summary>
[Collection(LambdaCollection.Name)]
public sealed class FunctionUrlTests(LambdaFixture lambda)
{
    [Fact]
    public async Task McpClient_over_SigV4_Streamable_HTTP_reaches_the_function_as_the_signed_caller()
    {
        var transport = SigV4HttpClientTransport.Create(lambda.FunctionUrl.Url, TestAws.Region, "lambda", TestAws.Credentials);
        await using var client = await McpClient.CreateAsync(transport);

        var tools = await client.ListToolsAsync();
        Assert.Contains(tools, t => t.Name == "echo");
        var echo = await client.CallToolAsync("echo", new Dictionary<string, object?> { ["message"] = "through a function URL" });
        Assert.Equal("Echo: through a function URL", Assert.IsType<TextContentBlock>(Assert.Single(echo.Content)).Text);

        var posted = lambda.FunctionUrl.Events.Last(e => e["requestContext"]!["http"]!["method"]!.GetValue<string>() == "POST");
        var iam = posted["requestContext"]!["authorizer"]!["iam"]!;
        Assert.Equal(TestAws.Caller.UserArn, iam["userArn"]!.GetValue<string>());
        Assert.Equal(TestAws.Caller.AccessKey, iam["accessKey"]!.GetValue<string>());
        Assert.NotNull(posted["headers"]!["x-amz-content-sha256"]);
        Assert.Contains(TestAws.Caller.UserArn, lambda.UrlSample.Output);
    }

    [Fact]
    public async Task An_unsigned_Streamable_HTTP_client_gets_403_and_never_reaches_the_function()
    {
        var before = lambda.FunctionUrl.Events.Count;
        var transport = new HttpClientTransport(new HttpClientTransportOptions { Endpoint = lambda.FunctionUrl.Url, TransportMode = HttpTransportMode.StreamableHttp });

        var error = await Assert.ThrowsAnyAsync<Exception>(() => McpClient.CreateAsync(transport));

        Assert.Contains("403", error.ToString());
        Assert.Equal(before, lambda.FunctionUrl.Events.Count);
    }

    [Fact]
    public async Task Credentials_for_another_region_are_refused()
    {
        using var http = SigV4HttpClientTransport.CreateHttpClient(Amazon.RegionEndpoint.USWest2, "lambda", TestAws.Credentials);

        using var response = await http.PostAsync(lambda.FunctionUrl.Url, new StringContent("""{"jsonrpc":"2.0","id":1,"method":"ping"}""", System.Text.Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("InvalidSignatureException", response.Headers.GetValues("x-amzn-ErrorType").Single());
        Assert.Contains("Credential should be scoped to a valid region", await response.Content.ReadAsStringAsync());
    }
}
