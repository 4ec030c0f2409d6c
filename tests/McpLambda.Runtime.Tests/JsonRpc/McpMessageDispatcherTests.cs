using System.Text;
using System.Text.Json;
using McpLambda.Runtime.Configuration;
using McpLambda.Runtime.EventAdapters;
using McpLambda.Runtime.Http;
using McpLambda.Runtime.JsonRpc;
using McpLambda.Runtime.RuntimeApi;
using ModelContextProtocol.Protocol;
using McpLambda.Runtime.Protocol;
using McpLambda.Runtime.Invocations;

namespace McpLambda.Runtime.Tests.JsonRpc;

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

    [Theory]
    [InlineData("""{"jsonrpc":"2.0","id":"D1","method":"tools/call","params":{"name":"a","name":"b","arguments":{}}}""", "params has \"name\"")]
    [InlineData("""{"jsonrpc":"2.0","id":"D1","method":"tools/call","params":{"name":"a","arguments":{"x":[{"k":1,"k":2}]}}}""", "x has \"k\"")]
    [InlineData("""{"jsonrpc":"2.0","id":"D1","id":"D2","method":"ping"}""", "message has \"id\"")]
    public async Task A_message_naming_a_member_twice_gets_its_own_invalid_request_and_the_rest_of_the_batch_is_answered(string message, string where)
    {
        var pipeline = new McpHandlers(new EchoHandler());
        var batch = "[" + message + """,{"jsonrpc":"2.0","id":7,"method":"after"}]""";

        var payload = await LambdaInvokeEventAdapter.Instance.HandleAsync(
            new LambdaInvocation("r", DateTimeOffset.UtcNow.AddMinutes(1), null, null, null, null, Encoding.UTF8.GetBytes(batch)), pipeline, CancellationToken.None);

        using var answers = JsonDocument.Parse(payload);
        var items = answers.RootElement.EnumerateArray().ToArray();
        Assert.Equal(2, items.Length);
        var error = items[0].GetProperty("error");
        Assert.Equal(-32600, error.GetProperty("code").GetInt32());
        Assert.Contains(where + " twice", error.GetProperty("message").GetString());
        Assert.Equal(7, items[1].GetProperty("id").GetInt32());
        Assert.Equal("after", items[1].GetProperty("result").GetProperty("method").GetString());
    }

    [Fact]
    public async Task A_batch_longer_than_the_limit_gets_one_error_naming_the_limit_and_its_setting_over_invoke()
    {
        var pipeline = new McpHandlers(new EchoHandler());

        var payload = await LambdaInvokeEventAdapter.Instance.HandleAsync(
            new LambdaInvocation("r", DateTimeOffset.UtcNow.AddMinutes(1), null, null, null, null, Pings(101)), pipeline, CancellationToken.None);

        using var answer = JsonDocument.Parse(payload);
        Assert.Equal(JsonValueKind.Object, answer.RootElement.ValueKind);
        var error = answer.RootElement.GetProperty("error");
        Assert.Equal(-32600, error.GetProperty("code").GetInt32());
        Assert.Contains("101", error.GetProperty("message").GetString());
        Assert.Contains("at most 100", error.GetProperty("message").GetString());
        Assert.Contains("MCPLAMBDA_MAX_BATCH_LENGTH", error.GetProperty("message").GetString());
    }

    [Fact]
    public async Task A_batch_longer_than_the_limit_gets_400_over_http_and_one_at_the_limit_is_answered()
    {
        var pipeline = new McpHandlers(new EchoHandler(), McpLambdaSettings.Default with { MaxBatchLength = 3 });

        var tooLong = await pipeline.Http.HandleAsync(Post(Pings(4)), CancellationToken.None);
        var atLimit = await pipeline.Http.HandleAsync(Post(Pings(3)), CancellationToken.None);

        Assert.Equal(400, tooLong.StatusCode);
        using (var error = JsonDocument.Parse(tooLong.Body))
        {
            Assert.Equal(-32600, error.RootElement.GetProperty("error").GetProperty("code").GetInt32());
            Assert.Contains("at most 3", error.RootElement.GetProperty("error").GetProperty("message").GetString());
        }

        Assert.Equal(200, atLimit.StatusCode);
        using var answers = JsonDocument.Parse(atLimit.Body);
        Assert.Equal(3, answers.RootElement.GetArrayLength());
    }

    [Fact]
    public async Task A_batch_runs_a_bounded_number_of_messages_at_once_and_answers_them_in_order()
    {
        var handler = new ConcurrencyCountingHandler();
        var dispatcher = new McpHandlers(handler).Dispatcher;

        var answers = await dispatcher.DispatchAsync(JsonRpcBody.Read(Pings(40), McpProtocolVersions.Default), CancellationToken.None);

        Assert.Equal(40, answers.Messages.Count);
        Assert.Equal(Enumerable.Range(0, 40).Select(i => new RequestId(i)), answers.Messages.Select(m => ((JsonRpcResponse)m).Id));
        Assert.InRange(handler.MostAtOnce, 2, McpMessageDispatcher.MaxConcurrentBatchMessages);
    }

    private static byte[] Pings(int count)
        => Encoding.UTF8.GetBytes("[" + string.Join(",", Enumerable.Range(0, count).Select(i => $$"""{"jsonrpc":"2.0","id":{{i}},"method":"ping"}""")) + "]");

    private static BufferedHttpRequest Post(byte[] body)
    {
        var headers = new HttpHeaderCollection();
        headers.Set("Content-Type", "application/json");
        headers.Set("Accept", "application/json, text/event-stream");
        return new BufferedHttpRequest("POST", "/mcp", headers, body);
    }

    /// <summary>Answers each request after a short wait, recording how many were in flight at once.</summary>
    private sealed class ConcurrencyCountingHandler : IMcpMessageHandler
    {
        private int _inFlight;
        private int _mostAtOnce;

        public int MostAtOnce => Volatile.Read(ref _mostAtOnce);

        public async ValueTask<JsonRpcMessage?> HandleAsync(JsonRpcMessage message, IClientMessageSink? client, InvocationContext invocation)
        {
            var now = Interlocked.Increment(ref _inFlight);
            int most;
            while (now > (most = Volatile.Read(ref _mostAtOnce)) && Interlocked.CompareExchange(ref _mostAtOnce, now, most) != most)
            {
            }

            await Task.Delay(10, invocation.Cancellation);
            Interlocked.Decrement(ref _inFlight);
            return new JsonRpcResponse { Id = ((JsonRpcRequest)message).Id, Result = new System.Text.Json.Nodes.JsonObject() };
        }
    }

    private sealed class EchoHandler : IMcpMessageHandler
    {
        public async ValueTask<JsonRpcMessage?> HandleAsync(JsonRpcMessage message, IClientMessageSink? client, InvocationContext invocation)
        {
            await Task.Yield();
            return message is JsonRpcRequest request
                ? new JsonRpcResponse { Id = request.Id, Result = new System.Text.Json.Nodes.JsonObject { ["method"] = request.Method } }
                : null;
        }
    }
}
