using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using McpLambda.Runtime;
using McpLambda.Runtime.Bridge;
using McpLambda.Runtime.Configuration;
using McpLambda.Runtime.EventAdapters;
using McpLambda.Runtime.Hosting;
using McpLambda.Runtime.Http;
using McpLambda.Runtime.JsonRpc;
using McpLambda.Runtime.Local;
using McpLambda.Runtime.RuntimeApi;
using ModelContextProtocol.Protocol;
using McpLambda.Runtime.Protocol;
using McpLambda.Runtime.Invocations;

namespace McpLambda.Resilience.Tests;

/// <summary>
/// Response streaming as Lambda documents it for function URLs and REST APIs, between the real runtime loop and the
/// Runtime API emulation: a <c>streaming</c> response mode, a chunked body of JSON prelude, 8 NUL bytes and the body as
/// it is produced, and errors after the first byte in the trailers.
/// </summary>
public sealed class ResponseStreamingTests(Xunit.Abstractions.ITestOutputHelper output)
{
    private static readonly McpLambdaSettings Streaming = McpLambdaSettings.Default with { ResponseStreaming = true };

    [Fact]
    public async Task A_streamed_answer_is_the_prelude_eight_NUL_bytes_and_each_event_as_the_server_sends_it()
    {
        await using var function = await StreamingFunction.StartAsync(FunctionUrlEventAdapter.Instance, MisbehavingServer.Options());
        var gate = Path.Combine(Path.GetTempPath(), "mcplambda-gate-" + Guid.NewGuid().ToString("N"));

        try
        {
            var result = await function.InvokeAsync(ProgressCall(steps: 3, ms: 50, gate), sse: true);

            var streamed = Assert.IsType<StreamedInvocationResponse>(result.Streamed);
            Assert.Equal(RuntimeApiResponseStream.HttpIntegrationContentType, streamed.ContentType);
            // Live: the server sends nothing after its first progress event until the client has seen that event here,
            // so a buffered stream would never end (the server gives up after 20 s and answers that the gate never opened).
            var clock = System.Diagnostics.Stopwatch.StartNew();
            var bytes = new List<byte>();
            TimeSpan? firstProgressSeen = null;
            await foreach (var chunk in streamed.Chunks.ReadAllAsync())
            {
                bytes.AddRange(chunk);
                output.WriteLine($"{clock.Elapsed.TotalMilliseconds:0.0} ms: {chunk.Length} bytes");
                if (firstProgressSeen is null && Encoding.UTF8.GetString(chunk).Contains("notifications/progress"))
                {
                    firstProgressSeen = clock.Elapsed;
                    File.WriteAllText(gate, "seen");
                }
            }

            var ended = clock.Elapsed;
            output.WriteLine($"first progress event read at {firstProgressSeen?.TotalMilliseconds:0.0} ms; stream ended at {ended.TotalMilliseconds:0.0} ms");
            Assert.True(firstProgressSeen < ended, $"first progress at {firstProgressSeen}, end at {ended}");

            Assert.Null((await streamed.End).ErrorType);
            var all = bytes.ToArray();
            var delimiter = all.AsSpan().IndexOf(new byte[8]);
            var prelude = JsonNode.Parse(all.AsSpan(0, delimiter))!.AsObject();
            Assert.Equal(200, prelude["statusCode"]!.GetValue<int>());
            Assert.Equal("text/event-stream", prelude["headers"]!["Content-Type"]!.GetValue<string>());
            Assert.IsType<JsonArray>(prelude["cookies"]);

            var events = SseEvents(Encoding.UTF8.GetString(all, delimiter + 8, all.Length - delimiter - 8));
            Assert.Equal(["notifications/progress", "notifications/progress", "notifications/progress", "answer"],
                events.Select(e => e["method"]?.GetValue<string>() ?? "answer"));
            Assert.Equal("tok", events[0]["params"]!["progressToken"]!.GetValue<string>());
            Assert.Equal("3 steps done", events[^1]["result"]!["content"]![0]!["text"]!.GetValue<string>());
        }
        finally
        {
            File.Delete(gate);
        }
    }

    [Fact]
    public async Task A_rest_api_prelude_carries_multi_value_headers()
    {
        await using var function = await StreamingFunction.StartAsync(ApiGatewayRestEventAdapter.Instance, MisbehavingServer.Options());

        var result = await function.InvokeAsync(Ping(), sse: false);

        var (prelude, body) = (await result.Streamed!.ReadPreludeAsync(CancellationToken.None))!.Value;
        var head = JsonNode.Parse(prelude)!.AsObject();
        Assert.Equal(200, head["statusCode"]!.GetValue<int>());
        Assert.Equal("application/json", head["headers"]!["Content-Type"]!.GetValue<string>());
        Assert.Equal(["application/json"], head["multiValueHeaders"]!["Content-Type"]!.AsArray().Select(v => v!.GetValue<string>()));
        Assert.Equal("ping-1", JsonNode.Parse(body)!["id"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_response_larger_than_the_buffered_limit_is_streamed_whole()
    {
        const int size = 8 * 1024 * 1024;
        await using var function = await StreamingFunction.StartAsync(FunctionUrlEventAdapter.Instance, MisbehavingServer.Options());

        var result = await function.InvokeAsync(Call("huge", new JsonObject { ["bytes"] = size }), sse: false);

        var (_, start) = (await result.Streamed!.ReadPreludeAsync(CancellationToken.None))!.Value;
        using var body = new MemoryStream();
        body.Write(start);
        await foreach (var chunk in result.Streamed.Chunks.ReadAllAsync())
        {
            body.Write(chunk);
        }

        Assert.True(body.Length > LambdaLimits.PayloadBytes);
        var text = JsonNode.Parse(body.ToArray())!["result"]!["content"]![0]!["text"]!.GetValue<string>();
        Assert.Equal(size, text.Length);
    }

    [Fact]
    public async Task A_server_that_crashes_mid_stream_ends_the_stream_with_its_error_event()
    {
        await using var function = await StreamingFunction.StartAsync(FunctionUrlEventAdapter.Instance, MisbehavingServer.Options());

        var result = await function.InvokeAsync(Call("notify-then-crash"), sse: true);

        var events = SseEvents(await BodyTextAsync(result.Streamed!));
        Assert.Equal("notifications/message", events[0]["method"]!.GetValue<string>());
        Assert.Equal(JsonRpcErrorCodes.ConnectionClosed, events[^1]["error"]!["code"]!.GetValue<int>());
        Assert.Contains("exited with code 7", events[^1]["error"]!["message"]!.GetValue<string>());
        Assert.Null((await result.Streamed!.End).ErrorType);
    }

    [Fact]
    public async Task A_failure_after_the_first_byte_goes_in_the_trailers_and_local_mode_cuts_the_connection()
    {
        await using var function = await StreamingFunction.StartAsync(FunctionUrlEventAdapter.Instance, MisbehavingServer.Options(), new FailingMidStream());
        await using var frontDoor = LocalFrontDoor.Start(0, FunctionUrlEventAdapter.Instance, function.Emulator);
        using var http = new HttpClient();

        using var request = new HttpRequestMessage(HttpMethod.Post, frontDoor.Url) { Content = JsonContent(Call("echo")) };
        request.Headers.Accept.ParseAdd("application/json, text/event-stream");
        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        var read = await Assert.ThrowsAnyAsync<Exception>(() => response.Content.ReadAsStringAsync());
        Assert.True(read is HttpRequestException or IOException, read.ToString());

        // The Runtime API gets the error in the trailers, named and with its message, after the first event.
        var direct = (await function.InvokeAsync(Call("echo"), sse: true)).Streamed!;
        Assert.Contains("\"first\"", await BodyTextAsync(direct));
        var end = await direct.End;
        Assert.Equal(nameof(InvalidOperationException), end.ErrorType);
        Assert.Contains(FailingMidStream.Message, end.ErrorBody);
    }

    [Fact]
    public async Task A_quiet_long_call_gets_keep_alive_comments()
    {
        var settings = Streaming with { Http = Streaming.Http with { KeepAliveInterval = TimeSpan.FromMilliseconds(200) } };
        await using var function = await StreamingFunction.StartAsync(FunctionUrlEventAdapter.Instance, MisbehavingServer.Options(), settings: settings);

        var result = await function.InvokeAsync(Call("slow", new JsonObject { ["ms"] = 1500 }), sse: true);

        var body = await BodyTextAsync(result.Streamed!);
        Assert.True(body.Split(": keep-alive\n\n").Length - 1 >= 3, body);
        Assert.Equal("slept 1500 ms", SseEvents(body)[^1]["result"]!["content"]![0]!["text"]!.GetValue<string>());
    }

    private static JsonObject ProgressCall(int steps, int ms, string gate)
    {
        var call = Call("progress", new JsonObject { ["steps"] = steps, ["ms"] = ms, ["gate"] = gate });
        call["params"]!["_meta"] = new JsonObject { ["progressToken"] = "tok" };
        return call;
    }

    private static JsonObject Call(string tool, JsonObject? arguments = null) => new()
    {
        ["jsonrpc"] = "2.0",
        ["id"] = "call-1",
        ["method"] = "tools/call",
        ["params"] = new JsonObject { ["name"] = tool, ["arguments"] = arguments ?? new JsonObject() },
    };

    private static JsonObject Ping() => new() { ["jsonrpc"] = "2.0", ["id"] = "ping-1", ["method"] = "ping" };

    private static ByteArrayContent JsonContent(JsonObject message)
    {
        var content = new ByteArrayContent(Encoding.UTF8.GetBytes(message.ToJsonString()));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        return content;
    }

    private static async Task<string> BodyTextAsync(StreamedInvocationResponse streamed)
    {
        var (_, start) = (await streamed.ReadPreludeAsync(CancellationToken.None))!.Value;
        using var body = new MemoryStream();
        body.Write(start);
        await foreach (var chunk in streamed.Chunks.ReadAllAsync())
        {
            body.Write(chunk);
        }

        return Encoding.UTF8.GetString(body.ToArray());
    }

    /// <summary>The JSON of each <c>message</c> event, in order.</summary>
    private static List<JsonObject> SseEvents(string body)
        => [.. body.Split("\n\n", StringSplitOptions.RemoveEmptyEntries)
            .Where(e => e.StartsWith("event: message\n", StringComparison.Ordinal))
            .Select(e => JsonNode.Parse(e["event: message\ndata: ".Length..])!.AsObject())];

    /// <summary>A handler that sends the client a notification, then fails as a function with a bug would.</summary>
    private sealed class FailingMidStream : IMcpMessageHandler
    {
        public const string Message = "the handler broke after its first event";

        public async ValueTask<JsonRpcMessage?> HandleAsync(JsonRpcMessage message, IClientMessageSink? client, InvocationContext invocation)
        {
            if (client is null)
            {
                throw new InvalidOperationException(Message);
            }

            client.Send(new JsonRpcNotification { Method = "notifications/message", Params = new JsonObject { ["level"] = "info", ["data"] = "first" } });
            await Task.Delay(300, invocation.Cancellation);
            throw new InvalidOperationException(Message);
        }
    }

    /// <summary>The real runtime loop, streaming, against the Runtime API emulation.</summary>
    private sealed class StreamingFunction : IAsyncDisposable
    {
        private readonly CancellationTokenSource _stop = new();
        private readonly RuntimeApiClient _client;
        private readonly StdioServerBridge _bridge;
        private readonly LambdaEventAdapter _adapter;
        private Task<int>? _run;

        private StreamingFunction(RuntimeApiEmulator emulator, StdioServerBridge bridge, LambdaEventAdapter adapter)
        {
            Emulator = emulator;
            _bridge = bridge;
            _adapter = adapter;
            _client = new RuntimeApiClient(emulator.Address);
        }

        public RuntimeApiEmulator Emulator { get; }

        public static Task<StreamingFunction> StartAsync(LambdaEventAdapter adapter, StdioServerOptions server, IMcpMessageHandler? handler = null, McpLambdaSettings? settings = null)
        {
            settings ??= Streaming;
            var bridge = new StdioServerBridge(settings.ApplyTo(server));
            var function = new StreamingFunction(RuntimeApiEmulator.Start(TimeSpan.FromSeconds(20)), bridge, adapter);
            var invocations = new InvocationHandler(adapter, new McpHandlers(handler ?? bridge, settings), settings.DeadlineMargin, responseStreaming: true);
            var loop = new LambdaRuntimeLoop(function._client, bridge, invocations);
            function._run = Task.Run(() => loop.RunAsync(2, function._stop.Token));
            return Task.FromResult(function);
        }

        public async Task<LambdaInvocationResult> InvokeAsync(JsonObject message, bool sse)
        {
            var headers = new HttpHeaderCollection();
            headers.Set("Content-Type", "application/json");
            headers.Set("Accept", sse ? "application/json, text/event-stream" : "application/json");
            var request = new BufferedHttpRequest("POST", "/mcp", headers, Encoding.UTF8.GetBytes(message.ToJsonString()));
            return await Emulator.InvokeAsync(_adapter.CreateLocalEvent(request, out _));
        }

        public async ValueTask DisposeAsync()
        {
            _stop.Cancel();
            try
            {
                await _run!.WaitAsync(TimeSpan.FromSeconds(10));
            }
            catch (OperationCanceledException)
            {
            }

            _client.Dispose();
            await Emulator.DisposeAsync();
            await _bridge.DisposeAsync();
        }
    }
}
