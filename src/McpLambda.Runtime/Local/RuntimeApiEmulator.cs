using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using System.Threading.Channels;
using McpLambda.Runtime.Http;
using McpLambda.Runtime.Observability;
using McpLambda.Runtime.Protocol;
using McpLambda.Runtime.RuntimeApi;

namespace McpLambda.Runtime.Local;

/// <summary>
/// The Lambda service's side of the Runtime API (2018-06-01), on loopback: it queues invocations for
/// the function's <c>next</c> long-polls and collects the responses and errors the function posts.
/// Local mode runs the real runtime loop against it; tests use it to play the Lambda service. Like local mode's endpoint,
/// it answers only a loopback <c>Host</c> without a foreign <c>Origin</c> (<see cref="LoopbackRequestGuard"/>).
/// </summary>
internal sealed class RuntimeApiEmulator : IAsyncDisposable
{
    /// <summary>Lambda's limit for a synchronous response payload.</summary>
    public const int MaxResponseBytes = LambdaLimits.PayloadBytes;

    /// <summary>Lambda's limit for a streamed response.</summary>
    public const long MaxStreamedResponseBytes = 200L * 1024 * 1024;

    private const string ResponseModeHeader = "Lambda-Runtime-Function-Response-Mode";

    private const string Prefix = "/2018-06-01/runtime/";
    private readonly LoopbackHttpServer _server;
    private readonly LoopbackRequestGuard _guard;
    private readonly Channel<Pending> _queue = Channel.CreateUnbounded<Pending>();
    private readonly ConcurrentDictionary<string, Pending> _inFlight = new();
    private readonly TaskCompletionSource<string> _initError = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource<DateTimeOffset> _firstNext = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly ConcurrentQueue<RuntimeApiFault> _nextFaults = new();
    private readonly ConcurrentQueue<RuntimeApiFault> _responseFaults = new();
    private readonly TimeSpan _defaultTimeout;

    private RuntimeApiEmulator(TimeSpan defaultTimeout)
    {
        _defaultTimeout = defaultTimeout;
        _server = LoopbackHttpServer.Start(0, HandleExchangeAsync, IsStreamedResponse);
        _guard = new LoopbackRequestGuard(_server.Port, allowedOrigins: [], requireJsonContent: false);
        Address = $"127.0.0.1:{_server.Port}";
    }

    /// <summary>The value for <c>AWS_LAMBDA_RUNTIME_API</c>.</summary>
    public string Address { get; }

    /// <summary>Completes with the error document when the function posts an init error.</summary>
    public Task<string> InitError => _initError.Task;

    /// <summary>Completes when the function first asks for an invocation, i.e. when its init is over.</summary>
    public Task<DateTimeOffset> FirstNext => _firstNext.Task;

    /// <summary>Starts an emulator on a free loopback port.</summary>
    /// <param name="defaultTimeout">The function timeout used when an invocation names none (default 30 s).</param>
    public static RuntimeApiEmulator Start(TimeSpan? defaultTimeout = null)
        => new(defaultTimeout ?? TimeSpan.FromSeconds(30));

    /// <summary>Invokes the function synchronously, as <c>RequestResponse</c> Invoke does.</summary>
    /// <returns>The function's response, its error, or a <c>Sandbox.Timedout</c> error past the timeout.</returns>
    public async Task<LambdaInvocationResult> InvokeAsync(ReadOnlyMemory<byte> payload, LambdaInvokeOptions? options = null, CancellationToken cancellationToken = default)
    {
        var timeout = options?.Timeout ?? _defaultTimeout;
        var pending = new Pending(Guid.NewGuid().ToString(), payload, DateTimeOffset.UtcNow + timeout, options);
        await _queue.Writer.WriteAsync(pending, cancellationToken).ConfigureAwait(false);
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(timeout + TimeSpan.FromSeconds(1));
        try
        {
            return await pending.Result.Task.WaitAsync(limit.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            _inFlight.TryRemove(pending.RequestId, out _);
            var error = LambdaErrorDocument.Create("Sandbox.Timedout", $"Task timed out after {timeout.TotalSeconds:0.00} seconds");
            return new LambdaInvocationResult(pending.RequestId, error, "Unhandled");
        }
    }

    /// <summary>Plays <paramref name="fault"/> on the next request of its route (<c>next</c> or <c>/response</c>); faults of a route play in order.</summary>
    public void InjectFault(RuntimeApiFault fault)
        => (fault is RuntimeApiFault.NextAnswers500 or RuntimeApiFault.NextClosesConnection ? _nextFaults : _responseFaults).Enqueue(fault);

    /// <inheritdoc/>
    public ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        return _server.DisposeAsync();
    }

    private static bool IsStreamedResponse(HttpHeaderCollection headers)
        => string.Equals(headers[ResponseModeHeader], "streaming", StringComparison.OrdinalIgnoreCase);

    private async Task HandleExchangeAsync(LoopbackExchange exchange)
    {
        // Any page in the developer's browser can send here; one whose name re-resolves to 127.0.0.1 could otherwise read
        // the next invocation (the developer's request, its Authorization header included) and answer in the function's place.
        if (_guard.Check(exchange.Request) is { } refusal)
        {
            Log.Warn($"Runtime API emulation: refused {exchange.Request.Method} {exchange.Request.Path} from Host '{exchange.Request.Headers["Host"]}', Origin '{exchange.Request.Headers["Origin"]}'");
            await exchange.Response.SendAsync(refusal, CancellationToken.None).ConfigureAwait(false);
            return;
        }

        var response = exchange.IsBodyStreamed
            ? await ReceiveStreamedResponseAsync(exchange).ConfigureAwait(false)
            : await HandleAsync(exchange.Request).ConfigureAwait(false);
        await exchange.Response.SendAsync(response, CancellationToken.None).ConfigureAwait(false);
    }

    /// <summary>
    /// A response the function streams (<c>Lambda-Runtime-Function-Response-Mode: streaming</c>, chunked): the invoker
    /// gets it at its first byte and reads the rest as it arrives; an error in the trailers ends it.
    /// </summary>
    private async Task<BufferedHttpResponse> ReceiveStreamedResponseAsync(LoopbackExchange exchange)
    {
        var requestId = InvocationRoute(exchange.Request.Path) is (var id, "response") ? id : "";
        if (!_inFlight.TryRemove(requestId, out var pending))
        {
            while (await exchange.ReadChunkAsync(CancellationToken.None).ConfigureAwait(false) is not null)
            {
            }

            return Error(400, "InvalidRequestID", $"Invalid request ID: '{requestId}'");
        }

        var streamed = new StreamedInvocationResponse(exchange.Request.Headers["Content-Type"]);
        pending.Result.TrySetResult(new LambdaInvocationResult(requestId, [], null) { Streamed = streamed });
        long bytes = 0;
        try
        {
            while (await exchange.ReadChunkAsync(CancellationToken.None).ConfigureAwait(false) is { } chunk)
            {
                bytes += chunk.Length;
                if (bytes > MaxStreamedResponseBytes)
                {
                    streamed.Complete(new StreamedResponseEnd("Function.ResponseSizeTooLarge", $"Response size exceeded the limit of {MaxStreamedResponseBytes} bytes.", bytes));
                    throw new ConnectionAbortedByHandlerException();
                }

                streamed.Write(chunk);
            }
        }
        catch (HttpMessageFormatException ex)
        {
            streamed.Complete(new StreamedResponseEnd("Runtime.StreamInterrupted", "The function's response stream broke off: " + ex.Message, bytes));
            throw new ConnectionAbortedByHandlerException();
        }

        var errorType = exchange.Trailers["Lambda-Runtime-Function-Error-Type"];
        var errorBody = exchange.Trailers["Lambda-Runtime-Function-Error-Body"] is { } encoded ? DecodeBase64(encoded) : null;
        streamed.Complete(new StreamedResponseEnd(errorType, errorBody, bytes));
        return Accepted();
    }

    private static string DecodeBase64(string encoded)
    {
        try
        {
            return Encoding.UTF8.GetString(Convert.FromBase64String(encoded));
        }
        catch (FormatException)
        {
            return "(the error body trailer is not base64) " + encoded;
        }
    }

    /// <summary>The request id and the last segment (<c>response</c>, <c>error</c>) of an invocation route, or null.</summary>
    private static (string RequestId, string Kind)? InvocationRoute(string path)
    {
        if (!path.StartsWith(Prefix + "invocation/", StringComparison.Ordinal))
        {
            return null;
        }

        var rest = path[(Prefix.Length + "invocation/".Length)..];
        var slash = rest.LastIndexOf('/');
        return slash > 0 ? (Uri.UnescapeDataString(rest[..slash]), rest[(slash + 1)..]) : null;
    }

    private async Task<BufferedHttpResponse> HandleAsync(BufferedHttpRequest request)
    {
        var path = request.Path;
        if (request.Method == "GET" && path == Prefix + "invocation/next")
        {
            _firstNext.TrySetResult(DateTimeOffset.UtcNow);
            return _nextFaults.TryDequeue(out var fault) ? Play(fault) : await NextAsync().ConfigureAwait(false);
        }

        if (request.Method == "POST" && path == Prefix + "init/error")
        {
            _initError.TrySetResult(Encoding.UTF8.GetString(request.Body.Span));
            return Accepted();
        }

        if (request.Method == "POST" && path.StartsWith(Prefix + "invocation/", StringComparison.Ordinal))
        {
            var (requestId, kind) = InvocationRoute(path) ?? ("", "");
            if (kind is "response" or "error" && _inFlight.TryRemove(requestId, out var pending))
            {
                if (kind == "response" && _responseFaults.TryDequeue(out var fault))
                {
                    _inFlight[requestId] = pending;
                    return Play(fault);
                }

                if (kind == "response" && request.Body.Length > MaxResponseBytes)
                {
                    _inFlight[requestId] = pending;
                    return Error(413, "RequestEntityTooLarge", $"Response payload size ({request.Body.Length} bytes) exceeded maximum allowed payload size ({MaxResponseBytes} bytes).");
                }

                var errorType = kind == "error" ? (request.Headers["Lambda-Runtime-Function-Error-Type"] ?? "Unhandled") : null;
                pending.Result.TrySetResult(new LambdaInvocationResult(requestId, request.Body.ToArray(), errorType));
                return Accepted();
            }

            return Error(400, "InvalidRequestID", $"Invalid request ID: '{requestId}'");
        }

        return Error(404, "NotFound", $"No Runtime API route for {request.Method} {path}");
    }

    private async Task<BufferedHttpResponse> NextAsync()
    {
        Pending pending;
        try
        {
            pending = await _queue.Reader.ReadAsync().ConfigureAwait(false);
        }
        catch (ChannelClosedException)
        {
            return Error(500, "ServiceStopping", "The Runtime API emulation is stopping.");
        }

        _inFlight[pending.RequestId] = pending;
        var headers = new HttpHeaderCollection();
        headers.Set("Content-Type", MediaTypes.Json);
        headers.Set("Lambda-Runtime-Aws-Request-Id", pending.RequestId);
        headers.Set("Lambda-Runtime-Deadline-Ms", pending.Deadline.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture));
        headers.Set("Lambda-Runtime-Invoked-Function-Arn", pending.Options?.FunctionArn ?? "arn:aws:lambda:us-east-1:123456789012:function:local");
        if (pending.Options?.TraceId is { } trace)
        {
            headers.Set("Lambda-Runtime-Trace-Id", trace);
        }

        if (pending.Options?.ClientContext is { } clientContext)
        {
            headers.Set("Lambda-Runtime-Client-Context", clientContext);
        }

        return new BufferedHttpResponse(200, headers, pending.Payload);
    }

    private static BufferedHttpResponse Play(RuntimeApiFault fault) => fault switch
    {
        RuntimeApiFault.NextClosesConnection => throw new ConnectionAbortedByHandlerException(),
        RuntimeApiFault.ResponseAnswers413 => Error(413, "RequestEntityTooLarge", "Injected fault: the response payload is too large."),
        _ => Error(500, "ServiceException", "Injected fault: the Runtime API failed."),
    };

    private static BufferedHttpResponse Accepted() => Json(202, """{"status":"OK"}"""u8.ToArray());

    private static BufferedHttpResponse Error(int status, string errorType, string message) => Json(status, LambdaErrorDocument.Create(errorType, message));

    private static BufferedHttpResponse Json(int status, byte[] body)
    {
        var headers = new HttpHeaderCollection();
        headers.Set("Content-Type", MediaTypes.Json);
        return new BufferedHttpResponse(status, headers, body);
    }

    private sealed record Pending(string RequestId, ReadOnlyMemory<byte> Payload, DateTimeOffset Deadline, LambdaInvokeOptions? Options)
    {
        public TaskCompletionSource<LambdaInvocationResult> Result { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
