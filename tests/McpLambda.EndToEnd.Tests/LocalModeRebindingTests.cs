using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using McpLambda.Runtime;
using McpLambda.Tests;

namespace McpLambda.EndToEnd.Tests;

/// <summary>
/// Local mode serves the developer's machine only: a foreign Host (DNS rebinding) or a web page's foreign Origin is
/// refused with 403 and a JSON-RPC error, before the function runs; loopback names and origins work.
/// </summary>
public sealed class LocalModeRebindingTests
{
    private const string Ping = """{"jsonrpc":"2.0","id":1,"method":"ping"}""";

    [Theory]
    [InlineData("rebound.example", null, HttpStatusCode.Forbidden)]
    [InlineData("rebound.example:{port}", null, HttpStatusCode.Forbidden)]
    [InlineData("127.0.0.1:1", null, HttpStatusCode.Forbidden)]
    [InlineData("localhost:{port}", null, HttpStatusCode.OK)]
    [InlineData("[::1]:{port}", null, HttpStatusCode.OK)]
    [InlineData(null, "https://attacker.example", HttpStatusCode.Forbidden)]
    [InlineData(null, "null", HttpStatusCode.Forbidden)]
    [InlineData(null, "http://localhost:6274", HttpStatusCode.OK)]
    [InlineData(null, "http://127.0.0.1:3000", HttpStatusCode.OK)]
    [InlineData(null, "https://tools.example.com", HttpStatusCode.OK)]
    public async Task Only_loopback_hosts_and_origins_reach_the_function(string? host, string? origin, HttpStatusCode expected)
    {
        var (function, url) = await SampleFunction.StartLocalAsync("EverythingFunction", new Dictionary<string, string>
        {
            ["MCPLAMBDA_LOCAL_ALLOWED_ORIGINS"] = "https://tools.example.com",
        });
        await using var _ = function;

        using var response = await PostAsync(url, Ping, "application/json", host?.Replace("{port}", url.Port.ToString(), StringComparison.Ordinal), origin);

        Assert.Equal(expected, response.StatusCode);
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        if (expected == HttpStatusCode.Forbidden)
        {
            Assert.Equal(-32600, body["error"]!["code"]!.GetValue<int>());
            Assert.Contains(host is null ? "Origin" : "Host", body["error"]!["message"]!.GetValue<string>());
        }
        else
        {
            Assert.NotNull(body["result"]);
        }

        // A refusal costs the function nothing: the next request from the machine itself is answered.
        using var next = await PostAsync(url, Ping, "application/json", null, null);
        Assert.Equal(HttpStatusCode.OK, next.StatusCode);
    }

    [Fact]
    public async Task The_Invoke_way_in_takes_only_JSON_so_a_page_cannot_post_without_a_preflight()
    {
        var (function, url) = await SampleFunction.StartLocalAsync("LambdaInvokeFunction");
        await using var _ = function;

        using var plain = await PostAsync(url, Ping, "text/plain", null, null);
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, plain.StatusCode);
        Assert.Contains("application/json", JsonNode.Parse(await plain.Content.ReadAsStringAsync())!["error"]!["message"]!.GetValue<string>());

        using var json = await PostAsync(url, Ping, "application/json", null, null);
        Assert.Equal(HttpStatusCode.OK, json.StatusCode);
    }

    public static TheoryData<string> BareBodyWaysIn => ["AgentCore", "Invoke + HTTP API"];

    [Theory]
    [MemberData(nameof(BareBodyWaysIn))]
    public async Task Every_way_in_whose_event_is_the_bare_body_takes_only_JSON(string wayIn)
    {
        var adapter = wayIn == "AgentCore"
            ? McpEventAdapters.BedrockAgentCoreGateway
            : McpEventAdapters.Composite(McpEventAdapters.LambdaInvoke, McpEventAdapters.HttpApi);
        await using var function = await InProcessLocalFunction.StartAsync(TestRepository.EverythingServer(), TimeSpan.FromSeconds(30), adapter: adapter);

        using var plain = await PostAsync(function.Url, Ping, "text/plain", null, null);
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, plain.StatusCode);

        using var json = await PostAsync(function.Url, Ping, "application/json", null, null);
        Assert.NotEqual(HttpStatusCode.UnsupportedMediaType, json.StatusCode);
        Assert.True(function.IsRunning);
    }

    private static async Task<HttpResponseMessage> PostAsync(Uri url, string body, string contentType, string? host, string? origin)
    {
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new StringContent(body, Encoding.UTF8) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue(contentType);
        request.Headers.Accept.ParseAdd("application/json, text/event-stream");
        if (host is not null)
        {
            request.Headers.Host = host;
        }

        if (origin is not null)
        {
            request.Headers.TryAddWithoutValidation("Origin", origin);
        }

        return await http.SendAsync(request);
    }
}
