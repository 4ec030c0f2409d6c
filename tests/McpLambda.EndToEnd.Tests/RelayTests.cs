using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Amazon.DynamoDBv2.Model;
using McpLambda.Runtime.Bridge;
using McpLambda.Runtime.Configuration;
using McpLambda.Runtime.Http;
using McpLambda.Runtime.JsonRpc;
using McpLambda.Runtime.Protocol;
using McpLambda.Runtime.StreamableHttp;
using McpLambda.Tests;
using ModelContextProtocol.Protocol;

namespace McpLambda.EndToEnd.Tests;

/// <summary>
/// Two execution environments of one function, each with its own server-everything and relay, sharing nothing but the
/// DynamoDB table (dynalite): the environment that asks the client is busy, so the client's answer reaches the other one,
/// which stores it for the asker to take.
/// </summary>
public sealed class RelayTests(Dynalite dynamo) : IClassFixture<Dynalite>
{
    private static readonly McpLambdaSettings Streaming = McpLambdaSettings.Default with { ResponseStreaming = true };

    [Fact]
    public async Task An_answer_that_reaches_another_environment_gets_to_the_waiting_server()
    {
        await using var asker = Environment();
        await using var other = Environment();
        var client = new LiveClient(request => other.HandleAsync(Answer(request.Id, "relayed through DynamoDB"), CancellationToken.None).AsTask());

        var result = await asker.HandleAsync(SamplingCall(), client, Deadline(20));

        Assert.Contains("relayed through DynamoDB", Text(result));
        Assert.All(client.Answers, Assert.Null);
        Assert.Equal(0, await dynamo.CountAsync());
    }

    [Fact]
    public async Task Past_the_deadline_the_server_gets_an_error_the_late_answer_a_refusal_and_the_table_is_empty()
    {
        await using var asker = Environment();
        await using var other = Environment();
        var client = LiveClient.Silent();

        var result = await asker.HandleAsync(SamplingCall(), client, Deadline(2));

        Assert.Equal(JsonRpcErrorCodes.RequestTimeout, Assert.IsType<JsonRpcError>(result).Error.Code);
        await WaitForAsync(async () => await dynamo.CountAsync() == 0);
        var late = await other.HandleAsync(Answer(Assert.Single(client.Requests).Id, "too late"), CancellationToken.None);
        Assert.Contains("No server request with id", Assert.IsType<JsonRpcError>(late).Error.Message);
    }

    [Fact]
    public async Task A_second_answer_is_refused_and_only_the_first_reaches_the_server()
    {
        await using var asker = Environment(poll: TimeSpan.FromSeconds(1));
        await using var other = Environment();
        var client = new LiveClient(async request =>
        {
            var first = await other.HandleAsync(Answer(request.Id, "first answer"), CancellationToken.None);
            var second = await other.HandleAsync(Answer(request.Id, "second answer"), CancellationToken.None);
            return first ?? second;
        });

        var result = await asker.HandleAsync(SamplingCall(), client, Deadline(20));

        Assert.Contains("first answer", Text(result));
        await WaitForAsync(() => client.Answers.Count == 1);
        Assert.Contains("was answered already", Assert.IsType<JsonRpcError>(client.Answers[0]).Error.Message);
    }

    [Fact]
    public async Task An_answer_for_another_functions_request_is_refused()
    {
        await using var asker = Environment();
        await using var stranger = Environment(function: "another-function");
        var client = new LiveClient(request => stranger.HandleAsync(Answer(request.Id, "not yours"), CancellationToken.None).AsTask());

        // Time enough for a cold start's first DynamoDB call: a call that ends before its request is recorded never asks the client.
        var result = await asker.HandleAsync(SamplingCall(), client, Deadline(6));

        Assert.IsType<JsonRpcError>(result);
        await WaitForAsync(() => client.Answers.Count == 1);
        Assert.Contains("made by another function", Assert.IsType<JsonRpcError>(client.Answers[0]).Error.Message);
    }

    [Fact]
    public async Task An_unreachable_table_fails_the_server_request_at_once_and_the_call_ends_well_before_its_deadline()
    {
        var nowhere = new Uri($"http://127.0.0.1:{LocalPort.Free()}");
        await using var asker = Environment(endpoint: nowhere);
        var client = LiveClient.Silent();
        var started = DateTime.UtcNow;

        var result = await asker.HandleAsync(SamplingCall(), client, Deadline(30));

        Assert.True(DateTime.UtcNow - started < TimeSpan.FromSeconds(15), $"took {DateTime.UtcNow - started}");
        Assert.Contains("relay that carries its answer between execution environments failed", Text(result));
        Assert.Empty(client.Requests);
    }

    [Fact]
    public async Task An_answer_too_large_for_the_table_gets_413_saying_the_limit_and_the_server_is_told_at_once()
    {
        await using var asker = Environment();
        await using var other = Environment();
        var http = new StreamableHttpHandler(new McpMessageDispatcher(other));
        var refusals = new ConcurrentQueue<BufferedHttpResponse>();
        var client = new LiveClient(async request =>
        {
            refusals.Enqueue(await http.HandleAsync(Post(Answer(request.Id, new string('x', 500_000))), CancellationToken.None));
            return null;
        });
        var started = DateTime.UtcNow;

        var result = await asker.HandleAsync(SamplingCall(), client, Deadline(30));

        Assert.True(DateTime.UtcNow - started < TimeSpan.FromSeconds(15), $"took {DateTime.UtcNow - started}");
        Assert.Contains("409,600 bytes", Text(result));
        var refusal = Assert.Single(refusals);
        Assert.Equal(413, refusal.StatusCode);
        var error = JsonNode.Parse(refusal.Body.Span)!["error"]!;
        Assert.Equal(JsonRpcErrorCodes.InvalidRequest, error["code"]!.GetValue<int>());
        Assert.Contains("409,600 bytes", error["message"]!.GetValue<string>());
        await WaitForAsync(async () => await dynamo.CountAsync() == 0);
    }

    [Theory]
    [InlineData("{\"jsonrpc\":\"2.0\",\"id\":")]
    [InlineData("{\"jsonrpc\":\"2.0\",\"method\":\"notifications/progress\"}")]
    public async Task An_answer_that_cannot_be_read_back_from_the_table_fails_the_server_request_at_once(string stored)
    {
        await using var asker = Environment();
        var client = new LiveClient(async request =>
        {
            await StoreAnswerAsIsAsync((string)request.Id.Id!, stored);
            return null;
        });
        var started = DateTime.UtcNow;

        var result = await asker.HandleAsync(SamplingCall(), client, Deadline(30));

        Assert.True(DateTime.UtcNow - started < TimeSpan.FromSeconds(15), $"took {DateTime.UtcNow - started}");
        Assert.Contains("could not be read back from the relay", Text(result));
        Assert.Equal(0, await dynamo.CountAsync());
    }

    /// <summary>Writes <paramref name="answer"/> into the request's record as it is, as no environment of the function would.</summary>
    private async Task StoreAnswerAsIsAsync(string id, string answer)
    {
        using var table = dynamo.Client();
        await table.UpdateItemAsync(new UpdateItemRequest
        {
            TableName = Dynalite.Table,
            Key = new Dictionary<string, AttributeValue> { ["id"] = new() { S = id } },
            UpdateExpression = "SET answer = :answer",
            ExpressionAttributeValues = new Dictionary<string, AttributeValue> { [":answer"] = new() { S = answer } },
        });
    }

    private static BufferedHttpRequest Post(JsonRpcMessage message)
    {
        var headers = new HttpHeaderCollection();
        headers.Set("Content-Type", "application/json");
        headers.Set("Accept", "application/json, text/event-stream");
        return new BufferedHttpRequest("POST", "/mcp", headers, JsonRpcMessages.ToUtf8(message));
    }

    private StdioServerBridge Environment(string function = "mcp-function", Uri? endpoint = null, TimeSpan? poll = null)
        => new(Streaming.ApplyTo(TestRepository.EverythingServer()), new ServerRequestRelay(dynamo.Store(function, endpoint), poll ?? TimeSpan.FromMilliseconds(50)));

    private static JsonRpcRequest SamplingCall() => new()
    {
        Id = new RequestId("call-1"),
        Method = RequestMethods.ToolsCall,
        Params = new JsonObject { ["name"] = "trigger-sampling-request", ["arguments"] = new JsonObject { ["prompt"] = "hello", ["maxTokens"] = 10 } },
    };

    private static JsonRpcResponse Answer(RequestId id, string text) => new()
    {
        Id = id,
        Result = new JsonObject { ["role"] = "assistant", ["content"] = new JsonObject { ["type"] = "text", ["text"] = text }, ["model"] = "test-model" },
    };

    /// <summary>The tool result's text, or the error's message.</summary>
    private static string Text(JsonRpcMessage? answer) => answer switch
    {
        JsonRpcResponse response => response.Result!.ToJsonString(),
        JsonRpcError error => error.Error.Message,
        _ => "(no answer)",
    };

    private static CancellationToken Deadline(double seconds) => new CancellationTokenSource(TimeSpan.FromSeconds(seconds)).Token;

    private static Task WaitForAsync(Func<bool> condition) => WaitForAsync(() => Task.FromResult(condition()));

    private static async Task WaitForAsync(Func<Task<bool>> condition)
    {
        for (var i = 0; i < 100 && !await condition(); i++)
        {
            await Task.Delay(50);
        }

        Assert.True(await condition());
    }
}
