using System.Diagnostics;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using McpLambda.Runtime.Bridge;
using McpLambda.Runtime.EventAdapters;
using McpLambda.Runtime.Hosting;
using McpLambda.Runtime.Local;
using McpLambda.Runtime.Protocol;
using McpLambda.Runtime.RuntimeApi;
using McpLambda.Runtime.Tests.Support;
using McpLambda.Tests;

namespace McpLambda.Runtime.Tests.RuntimeApi;

/// <summary>
/// The Runtime API between the emulated Lambda service (<see cref="RuntimeApiEmulator"/>) and the
/// function side (<see cref="RuntimeApiClient"/>, <see cref="LambdaRuntimeLoop"/>), over real HTTP on loopback.
/// </summary>
public sealed class RuntimeApiTests(EverythingServerFixture server) : IClassFixture<EverythingServerFixture>
{
    private static readonly TimeSpan TestTimeout = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task The_loop_answers_an_api_gateway_event()
    {
        await using var harness = await LoopHarness.StartAsync(ApiGatewayRestEventAdapter.Instance, server.Bridge);

        var result = await harness.Emulator.InvokeAsync(EventFixtures.Load("post-echo-string-id"), cancellationToken: harness.Timeout);

        Assert.Null(result.FunctionError);
        var response = ProxyResponse.Parse(result.Payload);
        Assert.Equal(200, response.StatusCode);
        Assert.Equal("Echo: hello from a string id", JsonRpcAssert.ToolText(response.Json(), "req-1"));
    }

    [Fact]
    public async Task A_function_with_several_ways_in_answers_each_event_through_its_own_and_names_them_all_for_an_event_of_none()
    {
        await using var harness = await LoopHarness.StartAsync(McpEventAdapters.Composite(McpEventAdapters.ApiGateway, McpEventAdapters.LambdaInvoke), server.Bridge);

        var rest = await harness.Emulator.InvokeAsync(EventFixtures.Load("post-echo-string-id"), cancellationToken: harness.Timeout);
        var invoke = await harness.Emulator.InvokeAsync(
            Encoding.UTF8.GetBytes("""{"jsonrpc":"2.0","id":7,"method":"tools/call","params":{"name":"echo","arguments":{"message":"bare"}}}"""), cancellationToken: harness.Timeout);
        var neither = await harness.Emulator.InvokeAsync("""{"detail-type":"Scheduled Event"}"""u8.ToArray(), cancellationToken: harness.Timeout);

        Assert.Equal("Echo: hello from a string id", JsonRpcAssert.ToolText(ProxyResponse.Parse(rest.Payload).Json(), "req-1"));
        Assert.Null(invoke.FunctionError);
        Assert.Equal("Echo: bare", JsonRpcAssert.ToolText(JsonDocument.Parse(invoke.Payload).RootElement, 7));
        Assert.NotNull(neither.FunctionError);
        Assert.Contains("API Gateway", Encoding.UTF8.GetString(neither.Payload));
        Assert.Contains("Lambda Invoke", Encoding.UTF8.GetString(neither.Payload));
    }

    [Fact]
    public async Task The_loop_answers_invocations_one_after_another()
    {
        await using var harness = await LoopHarness.StartAsync(ApiGatewayRestEventAdapter.Instance, server.Bridge);

        var first = await harness.Emulator.InvokeAsync(EventFixtures.Load("post-echo-number-id"), cancellationToken: harness.Timeout);
        var second = await harness.Emulator.InvokeAsync(EventFixtures.Load("post-notification-initialized"), cancellationToken: harness.Timeout);
        var third = await harness.Emulator.InvokeAsync(EventFixtures.Load("get-stream"), cancellationToken: harness.Timeout);

        Assert.NotEqual(first.RequestId, second.RequestId);
        Assert.Equal("Echo: hello from a number id", JsonRpcAssert.ToolText(ProxyResponse.Parse(first.Payload).Json(), 42));
        Assert.Equal(202, ProxyResponse.Parse(second.Payload).StatusCode);
        Assert.Equal(405, ProxyResponse.Parse(third.Payload).StatusCode);
    }

    [Fact]
    public async Task The_loop_keeps_the_trace_id_per_invocation_and_sets_no_process_wide_trace_variable()
    {
        var trace = $"Root=1-{DateTimeOffset.UtcNow.ToUnixTimeSeconds():x8}-{Guid.NewGuid():N}"[..^8] + ";Parent=53995c3f42cd8ad8;Sampled=1";
        await using var harness = await LoopHarness.StartAsync(ApiGatewayRestEventAdapter.Instance, server.Bridge);

        var result = await harness.Emulator.InvokeAsync(EventFixtures.Load("post-echo-string-id"), new LambdaInvokeOptions(TraceId: trace), harness.Timeout);

        Assert.Null(result.FunctionError);
        Assert.Null(Environment.GetEnvironmentVariable("_X_AMZN_TRACE_ID"));
    }

    [Fact]
    public async Task The_client_reads_request_id_deadline_arn_trace_and_client_context()
    {
        await using var emulator = RuntimeApiEmulator.Start();
        using var client = new RuntimeApiClient(emulator.Address);
        using var timeout = new CancellationTokenSource(TestTimeout);
        const string arn = "arn:aws:lambda:eu-west-1:210987654321:function:everything:live";
        const string clientContext = """{"custom":{"bedrockAgentCoreToolName":"everything___echo"},"env":{},"client":{}}""";
        const string trace = "Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1";
        var payload = EventFixtures.Load("post-echo-string-id");

        var before = DateTimeOffset.UtcNow;
        var invoke = emulator.InvokeAsync(payload, new LambdaInvokeOptions(TimeSpan.FromSeconds(12), clientContext, arn, trace), timeout.Token);
        var invocation = await client.NextAsync(timeout.Token);
        var after = DateTimeOffset.UtcNow;

        Assert.True(Guid.TryParse(invocation.RequestId, out _), invocation.RequestId);
        Assert.InRange(invocation.Deadline, before.AddSeconds(12).AddMilliseconds(-1), after.AddSeconds(12).AddMilliseconds(1));
        Assert.Equal(arn, invocation.InvokedFunctionArn);
        Assert.Equal(trace, invocation.TraceId);
        Assert.Equal(clientContext, invocation.ClientContext);
        Assert.Null(invocation.CognitoIdentity);
        Assert.Equal(payload, invocation.Event.ToArray());

        var answer = """{"statusCode":200,"body":"posted by the client"}"""u8.ToArray();
        await client.PostResponseAsync(invocation.RequestId, answer, timeout.Token);
        var result = await invoke;

        Assert.Equal(invocation.RequestId, result.RequestId);
        Assert.Null(result.FunctionError);
        Assert.Equal(answer, result.Payload);
    }

    [Fact]
    public async Task A_transport_that_throws_becomes_an_invocation_error_and_the_next_invocation_still_works()
    {
        await using var harness = await LoopHarness.StartAsync(new FaultInjectingEventAdapter(), server.Bridge);

        var failed = await harness.Emulator.InvokeAsync(FaultInjectingEventAdapter.Marker, cancellationToken: harness.Timeout);
        var next = await harness.Emulator.InvokeAsync(EventFixtures.Load("post-echo-number-id"), cancellationToken: harness.Timeout);

        Assert.Equal(nameof(InvalidOperationException), failed.FunctionError);
        var error = JsonDocument.Parse(failed.Payload).RootElement;
        Assert.Equal(nameof(InvalidOperationException), error.GetProperty("errorType").GetString());
        Assert.Equal(FaultInjectingEventAdapter.FaultMessage, error.GetProperty("errorMessage").GetString());

        Assert.Null(next.FunctionError);
        Assert.Equal("Echo: hello from a number id", JsonRpcAssert.ToolText(ProxyResponse.Parse(next.Payload).Json(), 42));
    }

    [Fact]
    public async Task An_init_error_reaches_the_emulator()
    {
        await using var emulator = RuntimeApiEmulator.Start();
        using var client = new RuntimeApiClient(emulator.Address);
        using var timeout = new CancellationTokenSource(TestTimeout);

        await client.PostInitErrorAsync("Runtime.McpServerStartFailed", "the server would not start", timeout.Token);
        var document = JsonDocument.Parse(await emulator.InitError.WaitAsync(timeout.Token)).RootElement;

        Assert.Equal("Runtime.McpServerStartFailed", document.GetProperty("errorType").GetString());
        Assert.Equal("the server would not start", document.GetProperty("errorMessage").GetString());
    }

    [Fact]
    public async Task A_server_that_cannot_start_makes_the_loop_post_an_init_error_and_exit_1()
    {
        await using var emulator = RuntimeApiEmulator.Start();
        using var client = new RuntimeApiClient(emulator.Address);
        await using var bridge = new StdioServerBridge(new StdioServerOptions("definitely-not-a-command-xyz", ["--stdio"]));
        var loop = new LambdaRuntimeLoop(client, ApiGatewayRestEventAdapter.Instance, bridge, new McpHandlers(bridge));
        using var timeout = new CancellationTokenSource(TestTimeout);

        var exitCode = await loop.RunAsync(1, timeout.Token);
        var document = JsonDocument.Parse(await emulator.InitError.WaitAsync(timeout.Token)).RootElement;

        Assert.Equal(1, exitCode);
        Assert.Equal("Runtime.McpServerStartFailed", document.GetProperty("errorType").GetString());
        Assert.Contains("definitely-not-a-command-xyz", document.GetProperty("errorMessage").GetString());
    }

    [Fact]
    public async Task A_response_over_6_MiB_is_refused_with_413_and_reported_as_an_invocation_error()
    {
        await using var emulator = RuntimeApiEmulator.Start();
        using var client = new RuntimeApiClient(emulator.Address);
        using var timeout = new CancellationTokenSource(TestTimeout);
        var invoke = emulator.InvokeAsync(EventFixtures.Load("post-echo-string-id"), cancellationToken: timeout.Token);
        var invocation = await client.NextAsync(timeout.Token);

        await client.PostResponseAsync(invocation.RequestId, new byte[RuntimeApiEmulator.MaxResponseBytes + 1], timeout.Token);
        var result = await invoke;

        Assert.Equal(invocation.RequestId, result.RequestId);
        Assert.Equal("Runtime.ResponseRejected", result.FunctionError);
        var error = JsonDocument.Parse(result.Payload).RootElement;
        Assert.Equal("Runtime.ResponseRejected", error.GetProperty("errorType").GetString());
        var message = error.GetProperty("errorMessage").GetString()!;
        Assert.Contains("413", message);
        Assert.Contains((RuntimeApiEmulator.MaxResponseBytes + 1).ToString(), message);
    }

    [Fact]
    public async Task A_response_of_exactly_6_MiB_is_accepted()
    {
        await using var emulator = RuntimeApiEmulator.Start();
        using var client = new RuntimeApiClient(emulator.Address);
        using var timeout = new CancellationTokenSource(TestTimeout);
        var invoke = emulator.InvokeAsync(EventFixtures.Load("post-echo-string-id"), cancellationToken: timeout.Token);
        var invocation = await client.NextAsync(timeout.Token);

        await client.PostResponseAsync(invocation.RequestId, new byte[RuntimeApiEmulator.MaxResponseBytes], timeout.Token);
        var result = await invoke;

        Assert.Null(result.FunctionError);
        Assert.Equal(RuntimeApiEmulator.MaxResponseBytes, result.Payload.Length);
    }

    [Fact]
    public async Task An_echo_whose_proxy_response_would_exceed_6_MiB_is_answered_with_an_error_under_the_same_id()
    {
        // A backslash is 2 bytes in the request, in the child's line and in the JSON-RPC answer (4 MB), and 4 bytes
        // once that answer is the proxy response's body string (8 MB): the limit counts the escaped size.
        var @event = EchoEvent(new string('\\', 2_000_000));
        await using var harness = await LoopHarness.StartAsync(ApiGatewayRestEventAdapter.Instance, server.Bridge);

        var result = await harness.Emulator.InvokeAsync(@event, cancellationToken: harness.Timeout);

        Assert.Null(result.FunctionError);
        var response = ProxyResponse.Parse(result.Payload);
        Assert.Equal(200, response.StatusCode);
        var message = JsonRpcAssert.Error(response.Json(), JsonRpcErrorCodes.InternalError, "req-1");
        Assert.Contains("response limit", message);

        var next = await harness.Emulator.InvokeAsync(EventFixtures.Load("post-echo-number-id"), cancellationToken: harness.Timeout);
        Assert.Null(next.FunctionError);
        Assert.Equal("Echo: hello from a number id", JsonRpcAssert.ToolText(ProxyResponse.Parse(next.Payload).Json(), 42));
    }

    [Fact]
    public async Task An_echo_whose_json_rpc_answer_is_over_the_answer_limit_is_replaced_by_an_error_under_the_same_id()
    {
        // A quote is 2 bytes in the request body but \u0022 (6 bytes) in the JSON-RPC answer: 6 MB, over the answer limit (6 MiB less 64 KiB).
        var @event = EchoEvent(new string('"', 1_000_000));
        await using var harness = await LoopHarness.StartAsync(ApiGatewayRestEventAdapter.Instance, server.Bridge);

        var result = await harness.Emulator.InvokeAsync(@event, cancellationToken: harness.Timeout);

        Assert.Null(result.FunctionError);
        var response = ProxyResponse.Parse(result.Payload);
        Assert.Equal(200, response.StatusCode);
        var message = JsonRpcAssert.Error(response.Json(), JsonRpcErrorCodes.InternalError, "req-1");
        Assert.Contains("response limit", message);
    }

    /// <summary>The <c>post-echo-string-id</c> fixture with <paramref name="message"/> as the echo argument.</summary>
    private static byte[] EchoEvent(string message)
    {
        var relaxed = new JsonSerializerOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
        var @event = EventFixtures.LoadNode("post-echo-string-id");
        var body = JsonNode.Parse(@event["body"]!.GetValue<string>())!;
        body["params"]!["arguments"]!["message"] = message;
        @event["body"] = body.ToJsonString(relaxed);
        Assert.True(Encoding.UTF8.GetByteCount(@event["body"]!.GetValue<string>()) < Runtime.StreamableHttp.StreamableHttpOptions.DefaultMaxRequestBodyBytes);
        return Encoding.UTF8.GetBytes(@event.ToJsonString(relaxed));
    }

    [Fact]
    public async Task Nobody_answering_times_out_as_sandbox_timedout()
    {
        await using var emulator = RuntimeApiEmulator.Start();
        using var timeout = new CancellationTokenSource(TestTimeout);
        var watch = Stopwatch.StartNew();

        var result = await emulator.InvokeAsync(EventFixtures.Load("post-echo-string-id"), new LambdaInvokeOptions(TimeSpan.FromSeconds(1)), timeout.Token);

        Assert.True(watch.Elapsed >= TimeSpan.FromSeconds(1), watch.Elapsed.ToString());
        Assert.Equal("Unhandled", result.FunctionError);
        var error = JsonDocument.Parse(result.Payload).RootElement;
        Assert.Equal("Sandbox.Timedout", error.GetProperty("errorType").GetString());
        Assert.Contains("1.00 seconds", error.GetProperty("errorMessage").GetString());
    }

    [Fact]
    public async Task A_response_for_an_unknown_request_id_is_refused()
    {
        await using var emulator = RuntimeApiEmulator.Start();
        using var http = new HttpClient { BaseAddress = new Uri($"http://{emulator.Address}/2018-06-01/") };

        using var response = await http.PostAsync("runtime/invocation/no-such-request/response", new ByteArrayContent("{}"u8.ToArray()));
        var error = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;

        Assert.Equal(400, (int)response.StatusCode);
        Assert.Equal("InvalidRequestID", error.GetProperty("errorType").GetString());
    }

    /// <summary>An emulator with the real loop running against it.</summary>
    private sealed class LoopHarness : IAsyncDisposable
    {
        private readonly CancellationTokenSource _stop = new();
        private readonly CancellationTokenSource _timeout = new(TimeSpan.FromSeconds(30));
        private readonly RuntimeApiClient _client;
        private Task<int>? _run;

        private LoopHarness(RuntimeApiEmulator emulator)
        {
            Emulator = emulator;
            _client = new RuntimeApiClient(emulator.Address);
        }

        public RuntimeApiEmulator Emulator { get; }

        public CancellationToken Timeout => _timeout.Token;

        public static Task<LoopHarness> StartAsync(LambdaEventAdapter transport, StdioServerBridge bridge)
        {
            var harness = new LoopHarness(RuntimeApiEmulator.Start());
            var loop = new LambdaRuntimeLoop(harness._client, transport, bridge, new McpHandlers(bridge));
            harness._run = Task.Run(() => loop.RunAsync(1, harness._stop.Token));
            return Task.FromResult(harness);
        }

        public async ValueTask DisposeAsync()
        {
            _stop.Cancel();
            try
            {
                // Stopped while idle in next, the loop returns 0; stopped while a post is still in
                // flight, it ends with the cancellation, which McpLambdaFunction.RunAsync turns into 0.
                Assert.Equal(0, await _run!.WaitAsync(TimeSpan.FromSeconds(10)));
            }
            catch (OperationCanceledException)
            {
            }

            _client.Dispose();
            await Emulator.DisposeAsync();
            _stop.Dispose();
            _timeout.Dispose();
        }
    }
}
