using System.Text;
using System.Text.Json.Nodes;
using McpLambda.Runtime.JsonRpc;
using McpLambda.Runtime.Observability;
using McpLambda.Runtime.Tests.Support;
using ModelContextProtocol.Protocol;
using McpLambda.Runtime.Hosting;
using McpLambda.Runtime.Invocations;

namespace McpLambda.Runtime.Tests.Observability;

/// <summary>
/// Each invocation's requests become CloudWatch embedded metric format documents: one line each, valid by the
/// specification, with the dimensions and metrics the README lists.
/// </summary>
public sealed class EmbeddedMetricsTests
{
    [Fact]
    public async Task A_tool_call_makes_one_document_per_invocation_with_method_and_tool_dimensions()
    {
        var (dispatcher, metrics, output) = Create();

        using (var scope = new InvocationContext("req-1", "Root=1-abc", null, default).Enter())
        {
            await dispatcher.DispatchAsync(ToolCall(1, "echo"), scope);
            metrics.Flush(scope);
        }

        var root = EmfAssert.Valid(Assert.Single(Lines(output)));
        Assert.Equal("Test/Mcp", root.GetProperty("_aws").GetProperty("CloudWatchMetrics")[0].GetProperty("Namespace").GetString());
        Assert.Equal(["FunctionName,Method", "FunctionName,Method,Tool"], EmfAssert.DimensionSets(root, "Duration"));
        Assert.Equal("fn", root.GetProperty("FunctionName").GetString());
        Assert.Equal("tools/call", root.GetProperty("Method").GetString());
        Assert.Equal("echo", root.GetProperty("Tool").GetString());
        Assert.InRange(root.GetProperty("Duration").GetDouble(), 0, 10_000);
        Assert.Equal(1, root.GetProperty("Successes").GetInt32());
        Assert.Equal(0, root.GetProperty("Errors").GetInt32());
        Assert.Equal(0, root.GetProperty("ServerRestarts").GetInt32());
        Assert.Equal(["FunctionName"], EmfAssert.DimensionSets(root, "ServerRestarts"));
        Assert.Equal("req-1", root.GetProperty("requestId").GetString());
        Assert.Equal("Root=1-abc", root.GetProperty("traceId").GetString());
        Assert.False(root.TryGetProperty("ErrorClass", out _));

        // What Lambda's log-level filter reads: a missing level or timestamp would make the line INFO.
        Assert.Equal("INFO", root.GetProperty("level").GetString());
        var timestamp = DateTimeOffset.Parse(root.GetProperty("timestamp").GetString()!, System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(root.GetProperty("_aws").GetProperty("Timestamp").GetInt64(), timestamp.ToUnixTimeMilliseconds());
    }

    [Fact]
    public void With_a_log_level_above_info_the_metrics_lines_carry_that_level_so_that_lambda_keeps_them()
    {
        var settings = Runtime.Configuration.McpLambdaSettings.Default with { Metrics = true, LogLevel = LambdaLogLevel.Error };
        var output = new StringWriter();
        var original = Console.Out;
        var metrics = RequestMetricsFactory.Create(settings)!;
        Console.SetOut(output);
        try
        {
            using var scope = new InvocationContext("req-level", null, null, default).Enter();
            metrics.Answered(new JsonRpcRequest { Id = new RequestId(1), Method = "ping" }, new JsonRpcResponse { Id = new RequestId(1), Result = new JsonObject() }, TimeSpan.FromMilliseconds(3), scope);
            metrics.Flush(scope);
        }
        finally
        {
            Console.SetOut(original);
        }

        var root = EmfAssert.Valid(Assert.Single(Lines(output), l => l.Contains("req-level")));
        Assert.Equal("ERROR", root.GetProperty("level").GetString());
        Assert.Equal(3, root.GetProperty("Duration").GetDouble());
        Assert.Equal("local", root.GetProperty("FunctionName").GetString());
    }

    [Theory]
    [InlineData("server-error", "ServerError", -32001)]
    [InlineData("internal-error", "InternalError", -32603)]
    [InlineData("invalid-request", "InvalidRequest", -32600)]
    [InlineData("method-not-found", "MethodNotFound", -32601)]
    [InlineData("invalid-params", "InvalidParams", -32602)]
    [InlineData("odd-error", "Other", 42)]
    public async Task A_json_rpc_error_is_counted_under_its_error_class(string tool, string errorClass, int code)
    {
        var (dispatcher, metrics, output) = Create();

        using (var scope = new InvocationContext("req-2", null, null, default).Enter())
        {
            await dispatcher.DispatchAsync(ToolCall(1, tool), scope);
            metrics.Flush(scope);
        }

        var root = EmfAssert.Valid(Assert.Single(Lines(output)));
        Assert.Equal(errorClass, root.GetProperty("ErrorClass").GetString());
        Assert.Equal(code, root.GetProperty("ErrorCode").GetInt32());
        Assert.Equal(0, root.GetProperty("Successes").GetInt32());
        Assert.Equal(1, root.GetProperty("Errors").GetInt32());
        Assert.Contains("FunctionName,Method,ErrorClass", EmfAssert.DimensionSets(root, "Errors"));
        Assert.DoesNotContain("FunctionName,Method,ErrorClass", EmfAssert.DimensionSets(root, "Duration"));

        // The tool never answered with a result: a name the client made up must not become a dimension value.
        Assert.Equal(MetricDimensions.UnknownTool, root.GetProperty("Tool").GetString());
    }

    [Fact]
    public async Task A_tool_result_with_is_error_counts_as_a_tool_error()
    {
        var (dispatcher, metrics, output) = Create();

        using (var scope = new InvocationContext("req-3", null, null, default).Enter())
        {
            await dispatcher.DispatchAsync(ToolCall(1, "failing-tool"), scope);
            metrics.Flush(scope);
        }

        var root = EmfAssert.Valid(Assert.Single(Lines(output)));
        Assert.Equal("ToolError", root.GetProperty("ErrorClass").GetString());
        Assert.False(root.TryGetProperty("ErrorCode", out _));
        Assert.Equal("failing-tool", root.GetProperty("Tool").GetString());
        Assert.Equal(1, root.GetProperty("Errors").GetInt32());
    }

    [Fact]
    public async Task A_batch_groups_alike_requests_into_one_document_with_arrays()
    {
        var (dispatcher, metrics, output) = Create();
        var batch = new JsonArray(
            ToolCallJson(1, "echo"), ToolCallJson(2, "echo"), ToolCallJson(3, "echo"),
            new JsonObject { ["jsonrpc"] = "2.0", ["id"] = 4, ["method"] = "tools/list" },
            new JsonObject { ["jsonrpc"] = "2.0", ["id"] = 5, ["method"] = "made/up" });

        using (var scope = new InvocationContext("req-4", null, null, default).Enter())
        {
            var body = dispatcher.Read(Encoding.UTF8.GetBytes(batch.ToJsonString()), "2025-03-26");
            await dispatcher.DispatchAsync(body, null, scope);
            metrics.Flush(scope);
        }

        var documents = Lines(output).Select(EmfAssert.Valid).ToList();
        Assert.Equal(3, documents.Count);
        var echo = Assert.Single(documents, d => d.TryGetProperty("Tool", out var t) && t.GetString() == "echo");
        Assert.Equal(3, echo.GetProperty("Duration").GetArrayLength());
        Assert.Equal([1, 1, 1], echo.GetProperty("Successes").EnumerateArray().Select(v => v.GetInt32()));
        Assert.Single(documents, d => d.GetProperty("Method").GetString() == "tools/list");
        var other = Assert.Single(documents, d => d.GetProperty("Method").GetString() == MetricDimensions.OtherMethod);
        Assert.Equal("MethodNotFound", other.GetProperty("ErrorClass").GetString());

        // Server restarts are counted once per invocation, not once per document.
        Assert.Single(documents, d => d.TryGetProperty("ServerRestarts", out _));
    }

    [Fact]
    public void An_invocation_without_requests_writes_nothing_unless_the_server_restarted()
    {
        var output = new StringWriter();
        var writer = new EmbeddedMetricsWriter("Test/Mcp", "fn", () => output);

        writer.Write([], 0, "req-5", null);
        Assert.Empty(Lines(output));

        writer.Write([], 1, "req-6", null);
        var root = EmfAssert.Valid(Assert.Single(Lines(output)));
        Assert.Equal(1, root.GetProperty("ServerRestarts").GetInt32());
        Assert.False(root.TryGetProperty("Method", out _));
    }

    [Fact]
    public void Tool_names_become_dimension_values_only_once_proven_and_only_so_many()
    {
        var dimensions = new MetricDimensions();
        static JsonObject Call(string name) => new() { ["name"] = name };

        Assert.Equal(MetricDimensions.UnknownTool, dimensions.Tool(Call("invented"), answeredWithResult: false));
        Assert.Equal("real", dimensions.Tool(Call("real"), answeredWithResult: true));
        Assert.Equal("real", dimensions.Tool(Call("real"), answeredWithResult: false));
        Assert.Equal(MetricDimensions.UnknownTool, dimensions.Tool(Call(new string('x', 129)), answeredWithResult: true));
        Assert.Equal(MetricDimensions.UnknownTool, dimensions.Tool(new JsonObject(), answeredWithResult: true));

        for (var i = 0; i < MetricDimensions.MaxTools * 2; i++)
        {
            dimensions.Tool(Call($"tool-{i}"), answeredWithResult: true);
        }

        Assert.Equal(MetricDimensions.UnknownTool, dimensions.Tool(Call("one-too-many"), answeredWithResult: true));
    }

    [Fact]
    public async Task Outside_an_invocation_a_request_is_written_at_once()
    {
        var (dispatcher, _, output) = Create();

        await dispatcher.DispatchAsync(new JsonRpcRequest { Id = new RequestId(9), Method = "ping" }, CancellationToken.None);

        var root = EmfAssert.Valid(Assert.Single(Lines(output)));
        Assert.Equal("ping", root.GetProperty("Method").GetString());
        Assert.False(root.TryGetProperty("Tool", out _));
        Assert.Equal(["FunctionName,Method"], EmfAssert.DimensionSets(root, "Duration"));
    }

    private static (McpMessageDispatcher Dispatcher, RequestMetrics Metrics, StringWriter Output) Create()
    {
        var output = new StringWriter();
        var metrics = new RequestMetrics(new EmbeddedMetricsWriter("Test/Mcp", "fn", () => output));
        return (new McpMessageDispatcher(new CannedHandler(), 1 << 20, 100, 1 << 20, metrics), metrics, output);
    }

    private static JsonObject ToolCallJson(long id, string tool)
        => new() { ["jsonrpc"] = "2.0", ["id"] = id, ["method"] = "tools/call", ["params"] = new JsonObject { ["name"] = tool } };

    private static JsonRpcRequest ToolCall(long id, string tool)
        => new() { Id = new RequestId(id), Method = "tools/call", Params = new JsonObject { ["name"] = tool, ["arguments"] = new JsonObject() } };

    private static string[] Lines(StringWriter output) => output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    /// <summary>Answers by the tool's name: an error of a given code, a result with <c>isError</c>, or a plain result.</summary>
    private sealed class CannedHandler : IMcpMessageHandler
    {
        public ValueTask<JsonRpcMessage?> HandleAsync(JsonRpcMessage message, IClientMessageSink? client, InvocationContext invocation)
        {
            if (message is not JsonRpcRequest request)
            {
                return ValueTask.FromResult<JsonRpcMessage?>(null);
            }

            var tool = request.Params?["name"]?.GetValue<string>();
            int? code = request.Method == "made/up" ? -32601 : tool switch
            {
                "server-error" => -32001,
                "internal-error" => -32603,
                "invalid-request" => -32600,
                "method-not-found" => -32601,
                "invalid-params" => -32602,
                "odd-error" => 42,
                _ => null,
            };
            JsonRpcMessage answer = code is { } c
                ? JsonRpcMessages.Error(request.Id, c, "canned")
                : new JsonRpcResponse { Id = request.Id, Result = new JsonObject { ["content"] = new JsonArray(), ["isError"] = tool == "failing-tool" } };
            return ValueTask.FromResult<JsonRpcMessage?>(answer);
        }
    }
}
