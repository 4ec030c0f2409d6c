using System.Text;
using System.Text.Json.Nodes;
using McpLambda.Runtime.Http;
using McpLambda.Runtime.JsonRpc;
using McpLambda.Runtime.StreamableHttp;
using McpLambda.Runtime.Tests.Support;
using ModelContextProtocol.Protocol;
using McpLambda.Runtime.Protocol;
using McpLambda.Runtime.Invocations;

namespace McpLambda.Runtime.Tests.StreamableHttp;

/// <summary>
/// A POST with nothing to answer (notifications, responses to the server's requests) gets 202 with no body, or 400 when
/// a response is refused, also on a live response to a client that takes an event stream, and also when passing its
/// messages on takes longer than the keep-alive interval: no event stream is opened for a POST that has no answer.
/// </summary>
public sealed class LiveAcceptedPostTests
{
    private static readonly TimeSpan KeepAlive = TimeSpan.FromMilliseconds(10);

    [Theory]
    [InlineData("""{"jsonrpc":"2.0","method":"notifications/initialized"}""")]
    [InlineData("""{"jsonrpc":"2.0","id":"mcp-lambda-0123","result":{}}""")]
    [InlineData("""[{"jsonrpc":"2.0","method":"notifications/initialized"},{"jsonrpc":"2.0","id":"mcp-lambda-0123","result":{}}]""")]
    public async Task Only_notifications_or_responses_get_202_and_no_body(string body)
    {
        var response = await PostAsync(body);

        Assert.Equal(202, response.StatusCode);
        Assert.Equal("", response.Body);
        Assert.Null(response.Headers!["Content-Type"]);
    }

    [Fact]
    public async Task A_refused_response_gets_400_with_its_json_rpc_error()
    {
        var response = await PostAsync("""{"jsonrpc":"2.0","id":"stray","result":{}}""");

        Assert.Equal(400, response.StatusCode);
        Assert.Equal(JsonRpcErrorCodes.InvalidRequest, JsonNode.Parse(response.Body)!["error"]!["code"]!.GetValue<int>());
    }

    private static async Task<RecordingLiveResponse> PostAsync(string body)
    {
        var http = new StreamableHttpHandler(new McpMessageDispatcher(new SlowHandler(KeepAlive * 20)), new StreamableHttpOptions { KeepAliveInterval = KeepAlive });
        var headers = new HttpHeaderCollection();
        headers.Set("Content-Type", "application/json");
        headers.Set("Accept", "application/json, text/event-stream");
        var response = new RecordingLiveResponse();

        await http.HandleAsync(new BufferedHttpRequest("POST", "/mcp", headers, Encoding.UTF8.GetBytes(body)), response, CancellationToken.None);

        return response;
    }

    /// <summary>Takes longer than the keep-alive interval over every message; refuses a response to <c>stray</c>.</summary>
    private sealed class SlowHandler(TimeSpan delay) : IMcpMessageHandler
    {
        public async ValueTask<JsonRpcMessage?> HandleAsync(JsonRpcMessage message, IClientMessageSink? client, InvocationContext invocation)
        {
            await Task.Delay(delay, invocation.Cancellation);
            return message is JsonRpcResponse { Id.Id: "stray" }
                ? JsonRpcMessages.Error(default, JsonRpcErrorCodes.InvalidRequest, "No server request with id stray is waiting.")
                : null;
        }
    }
}
