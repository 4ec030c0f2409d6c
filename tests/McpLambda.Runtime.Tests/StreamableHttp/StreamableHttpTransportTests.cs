using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using McpLambda.Runtime.EventAdapters;
using McpLambda.Runtime.Protocol;
using McpLambda.Runtime.StreamableHttp;
using McpLambda.Runtime.Tests.Support;
using McpLambda.Tests;

namespace McpLambda.Runtime.Tests.StreamableHttp;

/// <summary>
/// The Streamable HTTP rules as an API Gateway REST API client meets them: real payload 1.0 events in,
/// proxy responses out, a real server-everything child behind the bridge.
/// </summary>
public sealed class StreamableHttpTransportTests(EverythingServerFixture server) : IClassFixture<EverythingServerFixture>
{
    private readonly McpHandlers _pipeline = new(server.Bridge);

    [Theory]
    [InlineData("post-echo-string-id", "req-1", "hello from a string id")]
    [InlineData("post-echo-number-id", 42, "hello from a number id")]
    public async Task Post_tools_call_echo_answers_with_json_and_the_same_id(string fixture, object id, string message)
    {
        var response = await SendAsync(fixture);

        Assert.Equal(200, response.StatusCode);
        Assert.Equal("application/json", response.Header("Content-Type"));
        Assert.Equal("*", response.Header("Access-Control-Allow-Origin"));
        Assert.False(response.IsBase64Encoded);
        Assert.Equal("Echo: " + message, JsonRpcAssert.ToolText(response.Json(), id));
    }

    [Theory]
    [InlineData("get-stream", "GET")]
    [InlineData("delete-session", "DELETE")]
    public async Task Methods_other_than_post_get_405_with_allow(string fixture, string method)
    {
        var response = await SendAsync(fixture);

        Assert.Equal(405, response.StatusCode);
        Assert.Equal("POST, OPTIONS", response.Header("Allow"));
        Assert.Equal("application/json", response.Header("Content-Type"));
        var message = JsonRpcAssert.Error(response.Json(), JsonRpcErrorCodes.InvalidRequest, null);
        Assert.Contains(method, message);
    }

    [Fact]
    public async Task Options_is_a_cors_preflight_with_no_body()
    {
        var response = await SendAsync("options-preflight");

        Assert.Equal(204, response.StatusCode);
        Assert.Null(response.Body);
        Assert.Equal("*", response.Header("Access-Control-Allow-Origin"));
        Assert.Contains("POST", response.Header("Access-Control-Allow-Methods"));
        var allowedHeaders = response.Header("Access-Control-Allow-Headers")!.Split(',', StringSplitOptions.TrimEntries);
        Assert.Contains("Content-Type", allowedHeaders, StringComparer.OrdinalIgnoreCase);
        Assert.Contains("MCP-Protocol-Version", allowedHeaders, StringComparer.OrdinalIgnoreCase);
        Assert.Contains("Accept", allowedHeaders, StringComparer.OrdinalIgnoreCase);
        Assert.True(int.Parse(response.Header("Access-Control-Max-Age")!) > 0);
        Assert.Null(response.Header("Content-Type"));
    }

    [Fact]
    public async Task A_preflight_allows_the_Mcp_Param_headers_it_is_asked_about_and_no_other_unknown_one()
    {
        var preflight = EventFixtures.LoadNode("options-preflight");
        const string Asked = "content-type, mcp-protocol-version, mcp-method, mcp-name, mcp-param-region, Mcp-Param-Tenant_Id, mcp-param-, x-custom";
        preflight["headers"]!["Access-Control-Request-Headers"] = Asked;
        preflight["multiValueHeaders"]!["Access-Control-Request-Headers"] = new JsonArray(Asked);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));

        var response = ProxyResponse.Parse(await ApiGatewayRestEventAdapter.Instance.HandleAsync(
            EventFixtures.Invocation(Encoding.UTF8.GetBytes(preflight.ToJsonString())), _pipeline, timeout.Token));

        Assert.Equal(204, response.StatusCode);
        var allowed = response.Header("Access-Control-Allow-Headers")!.Split(',', StringSplitOptions.TrimEntries);
        Assert.Contains("mcp-param-region", allowed);
        Assert.Contains("Mcp-Param-Tenant_Id", allowed);
        Assert.Contains("Mcp-Name", allowed);
        Assert.DoesNotContain("mcp-param-", allowed);
        Assert.DoesNotContain("x-custom", allowed, StringComparer.OrdinalIgnoreCase);
        Assert.Contains("Access-Control-Request-Headers", response.Header("Vary"));
    }

    [Fact]
    public async Task Options_from_an_allowed_origin_names_that_origin()
    {
        var pipeline = new McpHandlers(server.Bridge, new StreamableHttpOptions { AllowedOrigins = ["https://app.example.com"] });

        var response = await SendAsync("options-preflight", pipeline);

        Assert.Equal(204, response.StatusCode);
        Assert.Equal("https://app.example.com", response.Header("Access-Control-Allow-Origin"));
        Assert.Equal("Origin, Access-Control-Request-Headers", response.Header("Vary"));
    }

    [Fact]
    public async Task Accept_admitting_neither_json_nor_sse_gets_406()
    {
        var response = await SendAsync("post-accept-html");

        Assert.Equal(406, response.StatusCode);
        var message = JsonRpcAssert.Error(response.Json(), JsonRpcErrorCodes.InvalidRequest, null);
        Assert.Contains("text/html", message);
    }

    [Theory]
    [InlineData("post-accept-sse-only", "sse-1", "Echo: streamed")]
    [InlineData("post-header-names-lower-case", "lc", "Echo: lower-case names")]
    [InlineData("post-accept-multivalue-only", "mv", "Echo: multi-value accept")]
    public async Task Accept_of_only_event_stream_gets_one_sse_message(string fixture, string id, string text)
    {
        var response = await SendAsync(fixture);

        Assert.Equal(200, response.StatusCode);
        Assert.Equal("text/event-stream", response.Header("Content-Type"));
        Assert.Equal("no-cache", response.Header("Cache-Control"));
        var body = response.Body!;
        Assert.EndsWith("\n\n", body);
        var lines = body.TrimEnd('\n').Split('\n');
        Assert.Equal(2, lines.Length);
        Assert.Equal("event: message", lines[0]);
        Assert.StartsWith("data: ", lines[1]);
        using var data = JsonDocument.Parse(lines[1]["data: ".Length..]);
        Assert.Equal(text, JsonRpcAssert.ToolText(data.RootElement, id));
    }

    [Fact]
    public async Task Wrong_content_type_gets_415()
    {
        var response = await SendAsync("post-text-plain");

        Assert.Equal(415, response.StatusCode);
        var message = JsonRpcAssert.Error(response.Json(), JsonRpcErrorCodes.InvalidRequest, null);
        Assert.Contains("text/plain", message);
    }

    [Theory]
    [InlineData("post-empty-body")]
    [InlineData("post-invalid-json")]
    public async Task Empty_or_unparsable_body_is_a_parse_error_with_null_id(string fixture)
    {
        var response = await SendAsync(fixture);

        Assert.Equal(400, response.StatusCode);
        Assert.Equal("application/json", response.Header("Content-Type"));
        var message = JsonRpcAssert.Error(response.Json(), JsonRpcErrorCodes.ParseError, null);
        Assert.StartsWith("Parse error", message);
    }

    [Fact]
    public async Task Json_that_is_not_json_rpc_is_an_invalid_request_naming_its_id()
    {
        var response = await SendAsync("post-not-jsonrpc-with-id");

        Assert.Equal(400, response.StatusCode);
        var message = JsonRpcAssert.Error(response.Json(), JsonRpcErrorCodes.InvalidRequest, 7);
        Assert.Contains("jsonrpc", message);
    }

    [Fact]
    public async Task Json_that_is_not_json_rpc_and_has_no_id_is_an_invalid_request_with_null_id()
    {
        var response = await SendAsync("post-not-jsonrpc-without-id");

        Assert.Equal(400, response.StatusCode);
        JsonRpcAssert.Error(response.Json(), JsonRpcErrorCodes.InvalidRequest, null);
    }

    [Fact]
    public async Task A_notification_alone_gets_202_and_no_body()
    {
        var response = await SendAsync("post-notification-initialized");

        Assert.Equal(202, response.StatusCode);
        Assert.Null(response.Body);
        Assert.Null(response.Header("Content-Type"));
    }

    [Fact]
    public async Task A_batch_without_a_protocol_version_header_gets_an_array_of_answers_matched_by_id()
    {
        var response = await SendAsync("post-batch");

        Assert.Equal(200, response.StatusCode);
        Assert.Equal("application/json", response.Header("Content-Type"));
        var answers = response.Json();
        Assert.Equal(JsonValueKind.Array, answers.ValueKind);
        Assert.Equal(2, answers.GetArrayLength());
        var byId = answers.EnumerateArray().ToDictionary(a => a.GetProperty("id").ToString());
        Assert.Equal("The sum of 2 and 3 is 5.", JsonRpcAssert.ToolText(byId["sum"], "sum"));
        Assert.Equal("Echo: in a batch", JsonRpcAssert.ToolText(byId["9"], 9));
    }

    [Fact]
    public async Task A_batch_under_protocol_version_2025_06_18_is_refused()
    {
        var response = await SendAsync("post-batch-2025-06-18");

        Assert.Equal(400, response.StatusCode);
        var message = JsonRpcAssert.Error(response.Json(), JsonRpcErrorCodes.InvalidRequest, null);
        Assert.Contains("2025-06-18", message);
    }

    [Fact]
    public async Task An_empty_batch_is_an_invalid_request()
    {
        var response = await SendAsync("post-empty-batch");

        Assert.Equal(400, response.StatusCode);
        JsonRpcAssert.Error(response.Json(), JsonRpcErrorCodes.InvalidRequest, null);
    }

    [Theory]
    [InlineData("post-unsupported-protocol-version", 3)]
    [InlineData("post-header-names-mixed-case", 5)] // content-type, ACCEPT and mcp-protocol-version: all must be found to get this far
    public async Task An_unsupported_protocol_version_is_refused_naming_the_supported_ones(string fixture, int id)
    {
        var response = await SendAsync(fixture);

        // MCP 2026-07-28's UnsupportedProtocolVersionError, which a modern client reads to pick a version; it answers the request by its id.
        Assert.Equal(400, response.StatusCode);
        var message = JsonRpcAssert.Error(response.Json(), JsonRpcErrorCodes.UnsupportedProtocolVersion, id);
        Assert.Contains("2099-01-01", message);
        var data = response.Json().GetProperty("error").GetProperty("data");
        Assert.Equal("2099-01-01", data.GetProperty("requested").GetString());
        Assert.Equal(["2026-07-28", "2025-11-25", "2025-06-18", "2025-03-26", "2024-11-05"], data.GetProperty("supported").EnumerateArray().Select(v => v.GetString()));
        foreach (var version in new[] { "2024-11-05", "2025-03-26", "2025-06-18" })
        {
            Assert.Contains(version, message);
        }
    }

    [Fact]
    public async Task A_supported_protocol_version_passes()
    {
        var response = await SendAsync("post-protocol-version-2025-06-18");

        Assert.Equal(200, response.StatusCode);
        Assert.Equal("Echo: with a protocol version", JsonRpcAssert.ToolText(response.Json(), "v"));
    }

    [Fact]
    public async Task A_base64_body_is_decoded()
    {
        Assert.True(EventFixtures.LoadNode("post-base64-body")["isBase64Encoded"]!.GetValue<bool>());

        var response = await SendAsync("post-base64-body");

        Assert.Equal(200, response.StatusCode);
        Assert.Equal("Echo: decoded from base64", JsonRpcAssert.ToolText(response.Json(), "b64"));
    }

    [Fact]
    public async Task An_invalid_base64_body_is_a_400_that_says_so()
    {
        var response = await SendAsync("post-invalid-base64");

        Assert.Equal(400, response.StatusCode);
        var message = JsonRpcAssert.Error(response.Json(), JsonRpcErrorCodes.InvalidRequest, null);
        Assert.Contains("base64", message);
    }

    [Fact]
    public async Task A_body_over_the_limit_gets_413()
    {
        var pipeline = new McpHandlers(server.Bridge, new StreamableHttpOptions { MaxRequestBodyBytes = 64 });
        var bodyLength = EventFixtures.LoadNode("post-echo-string-id")["body"]!.GetValue<string>().Length;
        Assert.True(bodyLength > 64);

        var response = await SendAsync("post-echo-string-id", pipeline);

        Assert.Equal(413, response.StatusCode);
        var message = JsonRpcAssert.Error(response.Json(), JsonRpcErrorCodes.InvalidRequest, null);
        Assert.Contains(bodyLength.ToString(), message);
        Assert.Contains("64", message);
    }

    [Fact]
    public async Task A_body_at_the_limit_passes()
    {
        var bodyLength = EventFixtures.LoadNode("post-echo-string-id")["body"]!.GetValue<string>().Length;
        var pipeline = new McpHandlers(server.Bridge, new StreamableHttpOptions { MaxRequestBodyBytes = bodyLength });

        var response = await SendAsync("post-echo-string-id", pipeline);

        Assert.Equal(200, response.StatusCode);
    }

    [Fact]
    public async Task An_origin_not_allowed_gets_403_without_cors_grant()
    {
        var pipeline = new McpHandlers(server.Bridge, new StreamableHttpOptions { AllowedOrigins = ["https://app.example.com"] });

        var response = await SendAsync("post-echo-from-other-origin", pipeline);

        Assert.Equal(403, response.StatusCode);
        Assert.Null(response.Header("Access-Control-Allow-Origin"));
        var message = JsonRpcAssert.Error(response.Json(), JsonRpcErrorCodes.InvalidRequest, null);
        Assert.Contains("https://evil.example.net", message);
    }

    [Fact]
    public async Task An_allowed_origin_is_answered_and_granted()
    {
        var pipeline = new McpHandlers(server.Bridge, new StreamableHttpOptions { AllowedOrigins = ["https://app.example.com"] });

        var response = await SendAsync("post-echo-from-origin", pipeline);

        Assert.Equal(200, response.StatusCode);
        Assert.Equal("https://app.example.com", response.Header("Access-Control-Allow-Origin"));
        Assert.Equal("Origin", response.Header("Vary"));
        Assert.Equal("Echo: from an origin", JsonRpcAssert.ToolText(response.Json(), "o"));
    }

    [Fact]
    public async Task Initialize_is_answered_with_the_real_servers_info_and_capabilities()
    {
        var response = await SendAsync("post-initialize");

        Assert.Equal(200, response.StatusCode);
        var result = JsonRpcAssert.Result(response.Json(), 0);
        Assert.Equal("mcp-servers/everything", result.GetProperty("serverInfo").GetProperty("name").GetString());
        Assert.False(string.IsNullOrEmpty(result.GetProperty("serverInfo").GetProperty("version").GetString()));
        var capabilities = result.GetProperty("capabilities");
        Assert.Equal(JsonValueKind.Object, capabilities.GetProperty("tools").ValueKind);
        Assert.Equal(JsonValueKind.Object, capabilities.GetProperty("resources").ValueKind);
        Assert.Equal(JsonValueKind.Object, capabilities.GetProperty("prompts").ValueKind);
        // The fixture asks for 2025-06-18, which both the bridge and the child speak.
        Assert.Equal("2025-06-18", result.GetProperty("protocolVersion").GetString());
    }

    [Theory]
    [InlineData("truncated-event", "Malformed API Gateway REST event")]
    [InlineData("missing-http-method", "httpMethod is missing")]
    public async Task A_malformed_event_gets_a_400_proxy_response_not_an_exception(string fixture, string expected)
    {
        var response = await SendAsync(fixture);

        Assert.Equal(400, response.StatusCode);
        Assert.Equal("application/json", response.Header("Content-Type"));
        var message = JsonRpcAssert.Error(response.Json(), JsonRpcErrorCodes.InvalidRequest, null);
        Assert.Contains(expected, message);
    }

    [Theory]
    [InlineData("truncated-event")]
    [InlineData("post-invalid-base64")]
    [InlineData("post-invalid-json")]
    public async Task A_malformed_event_is_rejected_like_every_other_request_with_cors_headers(string fixture)
    {
        var response = await SendAsync(fixture);

        Assert.Equal(400, response.StatusCode);
        Assert.Equal("*", response.Header("Access-Control-Allow-Origin"));
    }

    [Theory]
    [InlineData("get-stream")]
    [InlineData("post-accept-html")]
    [InlineData("post-text-plain")]
    [InlineData("post-empty-body")]
    [InlineData("post-invalid-json")]
    [InlineData("post-not-jsonrpc-with-id")]
    [InlineData("post-empty-batch")]
    [InlineData("post-unsupported-protocol-version")]
    [InlineData("post-invalid-base64")]
    [InlineData("truncated-event")]
    public async Task Json_rpc_error_codes_are_never_used_as_http_statuses(string fixture)
    {
        var response = await SendAsync(fixture);

        Assert.InRange(response.StatusCode, 400, 499);
        var code = response.Json().GetProperty("error").GetProperty("code").GetInt32();
        Assert.InRange(code, -32768, -32000);
        Assert.NotEqual(code, response.StatusCode);
        Assert.NotEqual(-code, response.StatusCode);
    }

    [Fact]
    public void The_fixtures_are_rest_api_payload_1_0_events()
    {
        var directory = Path.Combine(AppContext.BaseDirectory, "Fixtures");
        var files = Directory.GetFiles(directory, "*.json");
        Assert.True(files.Length >= 25, $"only {files.Length} fixtures in {directory}");
        foreach (var file in files.Where(f => Path.GetFileName(f) != "truncated-event.json"))
        {
            using var document = JsonDocument.Parse(File.ReadAllBytes(file));
            var root = document.RootElement;
            foreach (var property in new[] { "resource", "path", "headers", "multiValueHeaders", "requestContext", "isBase64Encoded" })
            {
                Assert.True(root.TryGetProperty(property, out _), $"{Path.GetFileName(file)} lacks {property}");
            }

            Assert.False(root.TryGetProperty("version", out _), $"{Path.GetFileName(file)} looks like payload 2.0");
            var context = root.GetProperty("requestContext");
            Assert.Equal("123456789012", context.GetProperty("accountId").GetString());
            Assert.Equal(root.GetProperty("resource").GetString(), context.GetProperty("resourcePath").GetString());
            if (root.TryGetProperty("httpMethod", out var method))
            {
                Assert.Equal(method.GetString(), context.GetProperty("httpMethod").GetString());
                Assert.True(ApiGatewayRestEventAdapter.Instance.Accepts(EventFixtures.Invocation(File.ReadAllBytes(file)), EventShape.Read(File.ReadAllBytes(file))));
            }
        }
    }

    private Task<ProxyResponse> SendAsync(string fixture) => SendAsync(fixture, _pipeline);

    private static async Task<ProxyResponse> SendAsync(string fixture, McpHandlers pipeline)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        var payload = await ApiGatewayRestEventAdapter.Instance.HandleAsync(EventFixtures.Invocation(EventFixtures.Load(fixture)), pipeline, timeout.Token);
        return ProxyResponse.Parse(payload);
    }
}
