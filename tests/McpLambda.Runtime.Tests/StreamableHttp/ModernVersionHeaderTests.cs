using System.Text;
using System.Text.Json.Nodes;
using McpLambda.Runtime.EventAdapters;
using McpLambda.Runtime.Protocol;
using McpLambda.Runtime.Tests.Fuzzing;
using McpLambda.Runtime.Tests.Support;

namespace McpLambda.Runtime.Tests.StreamableHttp;

/// <summary>
/// The <c>MCP-Protocol-Version</c> header of a modern request against the version its <c>_meta</c> names (SEP-2575):
/// a contradiction is <c>HeaderMismatch</c> before either version is judged, and an unsupported version is refused
/// with the request's own id, as every error answers its request.
/// </summary>
public sealed class ModernVersionHeaderTests
{
    [Fact]
    public async Task A_header_naming_another_version_than_meta_is_a_header_mismatch_even_when_meta_names_an_unsupported_one()
    {
        var response = await PostAsync(header: "2026-07-28", metaVersion: "v999.0.0", id: 302);

        Assert.Equal(400, response.StatusCode);
        var message = JsonRpcAssert.Error(response.Json(), JsonRpcErrorCodes.HeaderMismatch, 302);
        Assert.Contains("v999.0.0", message);
    }

    [Fact]
    public async Task An_unsupported_header_that_contradicts_meta_is_a_header_mismatch_too()
    {
        var response = await PostAsync(header: "v999.0.0", metaVersion: "2026-07-28", id: 303);

        Assert.Equal(400, response.StatusCode);
        JsonRpcAssert.Error(response.Json(), JsonRpcErrorCodes.HeaderMismatch, 303);
    }

    [Fact]
    public async Task An_unsupported_version_in_header_and_meta_is_refused_with_the_requests_id()
    {
        var response = await PostAsync(header: "v999.0.0", metaVersion: "v999.0.0", id: 301);

        Assert.Equal(400, response.StatusCode);
        JsonRpcAssert.Error(response.Json(), JsonRpcErrorCodes.UnsupportedProtocolVersion, 301);
        Assert.Equal("v999.0.0", response.Json().GetProperty("error").GetProperty("data").GetProperty("requested").GetString());
    }

    [Fact]
    public async Task Agreeing_supported_versions_reach_the_server()
    {
        var response = await PostAsync(header: "2026-07-28", metaVersion: "2026-07-28", id: 304);

        Assert.Equal(200, response.StatusCode);
        JsonRpcAssert.Result(response.Json(), 304);
    }

    /// <summary>A <c>server/discover</c> POST through a REST API event, with <paramref name="header"/> and <paramref name="metaVersion"/>.</summary>
    private static async Task<ProxyResponse> PostAsync(string header, string metaVersion, int id)
    {
        var @event = EventFixtures.LoadNode("post-echo-string-id");
        foreach (var (headers, value) in new[] { (@event["headers"]!.AsObject(), (JsonNode)header), (@event["multiValueHeaders"]!.AsObject(), new JsonArray(header)) })
        {
            headers["MCP-Protocol-Version"] = value;
            headers["Mcp-Method"] = value is JsonArray ? new JsonArray("server/discover") : "server/discover";
        }

        @event["body"] = new JsonObject
        {
            ["jsonrpc"] = "2.0",
            ["id"] = id,
            ["method"] = "server/discover",
            ["params"] = new JsonObject
            {
                ["_meta"] = new JsonObject
                {
                    [McpMetaKeys.ProtocolVersion] = metaVersion,
                    [McpMetaKeys.ClientCapabilities] = new JsonObject(),
                },
            },
        }.ToJsonString();

        var handlers = new McpHandlers(new EchoMessageHandler());
        var payload = await ApiGatewayRestEventAdapter.Instance.HandleAsync(EventFixtures.Invocation(Encoding.UTF8.GetBytes(@event.ToJsonString())), handlers, CancellationToken.None);
        return ProxyResponse.Parse(payload);
    }
}
