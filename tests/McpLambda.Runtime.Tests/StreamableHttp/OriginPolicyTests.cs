using System.Text.Json.Nodes;
using McpLambda.Runtime.Configuration;
using McpLambda.Runtime.EventAdapters;
using McpLambda.Runtime.Protocol;
using McpLambda.Runtime.StreamableHttp;
using McpLambda.Runtime.Tests.Fuzzing;
using McpLambda.Runtime.Tests.Support;

namespace McpLambda.Runtime.Tests.StreamableHttp;

/// <summary>
/// The MCP transport requires servers to check <c>Origin</c>. Under the Lambda Runtime API a function serves, unless told
/// otherwise, requests without one (MCP clients outside a browser) and pages of its own host only: <c>https://</c> and the
/// event's <c>Host</c>, or its <c>domainName</c>. A list adds origins; <c>*</c> lets every one in. Local mode keeps every
/// origin, as its front door admits loopback ones only.
/// </summary>
public sealed class OriginPolicyTests
{
    private const string RestHost = "a1b2c3d4e5.execute-api.us-east-1.amazonaws.com";
    private const string UrlHost = "a1b2c3d4e5f6g7h8i9j0k1l2m3n4o5p6.lambda-url.us-east-1.on.aws";

    [Theory]
    [InlineData(null, null)]
    [InlineData("", null)]
    [InlineData(" * ", null)]
    [InlineData("https://a.example, https://b.example", "https://a.example|https://b.example")]
    public void Outside_lambda_an_unset_variable_allows_every_origin(string? value, string? expected)
        => Assert.Equal(expected?.Split('|'), Read(value, runtimeApi: null).Http.AllowedOrigins);

    [Theory]
    [InlineData(null, "")]
    [InlineData("  ", "")]
    [InlineData("*", null)]
    [InlineData("https://a.example,https://b.example", "https://a.example|https://b.example")]
    public void Under_the_runtime_api_an_unset_variable_allows_only_the_functions_own_origin(string? value, string? expected)
        => Assert.Equal(expected?.Split('|', StringSplitOptions.RemoveEmptyEntries), Read(value, runtimeApi: "127.0.0.1:9001").Http.AllowedOrigins);

    [Theory]
    [InlineData(null, 200, null)]
    [InlineData("https://" + RestHost, 200, "https://" + RestHost)]
    [InlineData("HTTPS://A1B2C3D4E5.EXECUTE-API.US-EAST-1.AMAZONAWS.COM", 200, "HTTPS://A1B2C3D4E5.EXECUTE-API.US-EAST-1.AMAZONAWS.COM")]
    [InlineData("http://" + RestHost, 403, null)]
    [InlineData("https://" + RestHost + ":8443", 403, null)]
    [InlineData("https://" + RestHost + ".evil.example", 403, null)]
    [InlineData("https://evil.example", 403, null)]
    [InlineData("null", 403, null)]
    [InlineData("https://app.example.com", 403, null)]
    public async Task The_deployed_default_serves_no_origin_and_the_functions_own(string? origin, int status, string? granted)
    {
        var response = await PostAsync(ApiGatewayRestEventAdapter.Instance, Rest(origin), allowed: []);

        Assert.Equal(status, response.StatusCode);
        Assert.Equal(granted, response.Header("Access-Control-Allow-Origin"));
        if (status == 403)
        {
            Assert.Contains(origin!, JsonRpcAssert.Error(response.Json(), JsonRpcErrorCodes.InvalidRequest, null));
        }
    }

    [Theory]
    [InlineData("https://app.example.com", 200)]
    [InlineData("https://" + RestHost, 200)]
    [InlineData("https://evil.example", 403)]
    public async Task A_list_adds_its_origins_to_the_functions_own(string origin, int status)
    {
        var response = await PostAsync(ApiGatewayRestEventAdapter.Instance, Rest(origin), allowed: ["https://app.example.com"]);

        Assert.Equal(status, response.StatusCode);
    }

    [Fact]
    public async Task Every_origin_may_call_when_none_are_listed()
    {
        var response = await PostAsync(ApiGatewayRestEventAdapter.Instance, Rest("https://evil.example"), allowed: null);

        Assert.Equal(200, response.StatusCode);
        Assert.Equal("*", response.Header("Access-Control-Allow-Origin"));
    }

    [Fact]
    public async Task Without_a_host_header_the_events_domain_name_is_the_functions_host()
    {
        var @event = EventFixtures.LoadNode("PayloadV2/functionurl-iam-tools-list");
        @event["headers"]!.AsObject().Remove("host");
        @event["headers"]!["origin"] = "https://" + UrlHost;

        var response = await PostAsync(FunctionUrlEventAdapter.Instance, @event, allowed: []);

        Assert.Equal(200, response.StatusCode);
        Assert.Equal("https://" + UrlHost, response.Header("Access-Control-Allow-Origin"));
    }

    [Fact]
    public async Task A_preflight_from_the_functions_own_origin_is_granted_and_one_from_another_refused()
    {
        var own = Rest("https://" + RestHost);
        own["httpMethod"] = "OPTIONS";
        var other = Rest("https://evil.example");
        other["httpMethod"] = "OPTIONS";

        Assert.Equal("https://" + RestHost, (await PostAsync(ApiGatewayRestEventAdapter.Instance, own, allowed: [])).Header("Access-Control-Allow-Origin"));
        Assert.Equal(403, (await PostAsync(ApiGatewayRestEventAdapter.Instance, other, allowed: [])).StatusCode);
    }

    [Fact]
    public void The_start_up_log_line_says_which_origins_are_served()
    {
        Assert.Contains("every web page may call", OriginPolicy.Describe(null));
        Assert.Contains("only requests without one", OriginPolicy.Describe([]));
        Assert.Contains("https://a.example, https://b.example", OriginPolicy.Describe(["https://a.example", "https://b.example"]));
    }

    private static McpLambdaSettings Read(string? origins, string? runtimeApi)
        => McpLambdaSettings.Read(name => name switch
        {
            "MCPLAMBDA_ALLOWED_ORIGINS" => origins,
            "AWS_LAMBDA_RUNTIME_API" => runtimeApi,
            _ => null,
        });

    private static JsonNode Rest(string? origin)
    {
        var @event = EventFixtures.LoadNode("post-echo-string-id");
        Assert.Equal(RestHost, @event["headers"]!["Host"]!.GetValue<string>());
        foreach (var headers in new[] { @event["headers"]!.AsObject(), @event["multiValueHeaders"]!.AsObject() })
        {
            headers.Remove("Origin");
        }

        if (origin is not null)
        {
            @event["headers"]!["Origin"] = origin;
            @event["multiValueHeaders"]!["Origin"] = new JsonArray(origin);
        }

        return @event;
    }

    private static async Task<ProxyResponse> PostAsync(LambdaEventAdapter adapter, JsonNode @event, IReadOnlyList<string>? allowed)
    {
        var handlers = new McpHandlers(new EchoMessageHandler(), new StreamableHttpOptions { AllowedOrigins = allowed });
        var payload = await adapter.HandleAsync(EventFixtures.Invocation(System.Text.Encoding.UTF8.GetBytes(@event.ToJsonString())), handlers, CancellationToken.None);
        return ProxyResponse.Parse(payload);
    }
}
