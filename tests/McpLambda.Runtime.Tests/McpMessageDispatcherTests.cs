using System.Text;
using System.Text.Json;
using McpLambda.Runtime.EventAdapters;
using McpLambda.Runtime.Hosting;
using McpLambda.Runtime.JsonRpc;
using McpLambda.Runtime.RuntimeApi;
using McpLambda.Runtime.StreamableHttp;
using ModelContextProtocol.Protocol;

namespace McpLambda.Runtime.Tests;

/// <summary>The one dispatcher every way in uses: the same body gets the same answers over HTTP and over Invoke.</summary>
public sealed class McpMessageDispatcherTests
{
    [Fact]
    public void A_batch_is_rejected_under_a_revision_without_batches_and_read_under_the_default()
    {
        var batch = """[{"jsonrpc":"2.0","id":1,"method":"ping"},{"jsonrpc":"2.0","method":"notifications/x"}]"""u8.ToArray();

        Assert.Equal(-32600, JsonRpcBody.Read(batch, "2025-06-18").Rejection?.Error.Code);
        var body = JsonRpcBody.Read(batch, McpProtocolVersions.Default);
        Assert.Null(body.Rejection);
        Assert.True(body.IsBatch);
        Assert.Equal(2, body.Entries.Count);
    }

    [Fact]
    public async Task Invoke_answers_a_batch_in_order_with_invalid_entries_answered_in_place()
    {
        var pipeline = new McpHandlers(new EchoHandler());
        var batch = """[{"jsonrpc":"2.0","id":1,"method":"a"},{"id":2},{"jsonrpc":"2.0","method":"notifications/x"},{"jsonrpc":"2.0","id":"three","method":"c"}]""";

        var payload = await LambdaInvokeEventAdapter.Instance.HandleAsync(
            new LambdaInvocation("r", DateTimeOffset.UtcNow.AddMinutes(1), null, null, null, null, Encoding.UTF8.GetBytes(batch)), pipeline, CancellationToken.None);

        using var answers = JsonDocument.Parse(payload);
        var items = answers.RootElement.EnumerateArray().ToArray();
        Assert.Equal(3, items.Length);
        Assert.Equal(1, items[0].GetProperty("id").GetInt32());
        Assert.Equal("a", items[0].GetProperty("result").GetProperty("method").GetString());
        Assert.Equal(2, items[1].GetProperty("id").GetInt32());
        Assert.Equal(-32600, items[1].GetProperty("error").GetProperty("code").GetInt32());
        Assert.Equal("three", items[2].GetProperty("id").GetString());
    }

    private sealed class EchoHandler : IMcpMessageHandler
    {
        public async ValueTask<JsonRpcMessage?> HandleAsync(JsonRpcMessage message, CancellationToken cancellationToken)
        {
            await Task.Yield();
            return message is JsonRpcRequest request
                ? new JsonRpcResponse { Id = request.Id, Result = new System.Text.Json.Nodes.JsonObject { ["method"] = request.Method } }
                : null;
        }
    }
}
