using McpLambda.Runtime.EventAdapters;
using McpLambda.Runtime.Http;
using McpLambda.Runtime.Observability;
using McpLambda.Runtime.RuntimeApi;

namespace McpLambda.Runtime.Local;

/// <summary>
/// Local mode's stand-in for the AWS front door (API Gateway, function URL, Invoke): turns real HTTP
/// requests on loopback into the event adapter's real event JSON, invokes the function through the Runtime
/// API emulator, and turns the function's response back into HTTP: whole when the function buffers it, chunk by chunk
/// as the function writes it when it streams, as a function URL or REST API with response streaming does.
/// </summary>
internal sealed class LocalFrontDoor : IAsyncDisposable
{
    /// <summary>The path MCP clients connect to.</summary>
    public const string McpPath = "/mcp";

    private readonly LambdaEventAdapter _adapter;
    private readonly RuntimeApiEmulator _lambda;
    private readonly LoopbackHttpServer _server;
    private readonly LoopbackRequestGuard _guard;

    private LocalFrontDoor(int port, LambdaEventAdapter adapter, RuntimeApiEmulator lambda, IReadOnlyList<string> allowedOrigins)
    {
        _adapter = adapter;
        _lambda = lambda;
        _server = LoopbackHttpServer.Start(port, HandleAsync, streamsRequestBody: null);
        _guard = new LoopbackRequestGuard(_server.Port, allowedOrigins, requireJsonContent: adapter.LocalRequestsNeedJsonContent);
        Url = new Uri($"http://127.0.0.1:{_server.Port}{McpPath}");
    }

    /// <summary>The MCP endpoint, e.g. <c>http://127.0.0.1:8080/mcp</c>.</summary>
    public Uri Url { get; }

    /// <summary>Starts serving on <paramref name="port"/> (0: a free port), to loopback hosts and origins and <paramref name="allowedOrigins"/>.</summary>
    public static LocalFrontDoor Start(int port, LambdaEventAdapter adapter, RuntimeApiEmulator lambda, IReadOnlyList<string>? allowedOrigins = null)
        => new(port, adapter, lambda, allowedOrigins ?? []);

    /// <inheritdoc/>
    public ValueTask DisposeAsync() => _server.DisposeAsync();

    private async Task HandleAsync(LoopbackExchange exchange)
    {
        var request = exchange.Request;
        var response = exchange.Response;
        // The function answers its endpoint, the well-known documents about it (OAuth's protected resource metadata) and
        // the OAuth endpoints of its registration facade.
        if (request.Path.TrimEnd('/') != McpPath && !request.Path.StartsWith("/.well-known/", StringComparison.Ordinal)
            && !request.Path.StartsWith("/oauth/", StringComparison.Ordinal))
        {
            await response.SendAsync(Plain(404, $"Not found: the MCP endpoint is {McpPath}"), CancellationToken.None).ConfigureAwait(false);
            return;
        }

        if (_guard.Check(request) is { } refusal)
        {
            Log.Warn($"local front door: refused {request.Method} from Host '{request.Headers["Host"]}', Origin '{request.Headers["Origin"]}'");
            await response.SendAsync(refusal, CancellationToken.None).ConfigureAwait(false);
            return;
        }

        LambdaInvocationResult result;
        try
        {
            // As a front door tells the function how the client connected (there https; here plain loopback http).
            request.Headers.Set("X-Forwarded-Proto", "http");
            var payload = _adapter.CreateLocalEvent(request, out var clientContext);
            result = await _lambda.InvokeAsync(payload, new LambdaInvokeOptions(ClientContext: clientContext)).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            Log.Error("local front door: " + ex);
            await response.SendAsync(Plain(500, ex.Message), CancellationToken.None).ConfigureAwait(false);
            return;
        }

        if (result.Streamed is { } streamed)
        {
            await RelayAsync(streamed, response).ConfigureAwait(false);
            return;
        }

        await response.SendAsync(result.FunctionError is null
            ? _adapter.ReadLocalResponse(result.Payload)
            : Plain(502, System.Text.Encoding.UTF8.GetString(result.Payload)), CancellationToken.None).ConfigureAwait(false);
    }

    /// <summary>
    /// Passes a streamed response on as it arrives: the prelude's status and headers, then each chunk. An error the
    /// function reports after the first byte cuts the connection, as Lambda ends such a stream, so the client sees an
    /// incomplete response rather than a complete-looking one.
    /// </summary>
    private async Task RelayAsync(StreamedInvocationResponse streamed, IHttpResponseWriter response)
    {
        if (!streamed.IsHttpIntegration || await streamed.ReadPreludeAsync(CancellationToken.None).ConfigureAwait(false) is not var (prelude, bodyStart))
        {
            var end = await streamed.End.ConfigureAwait(false);
            await response.SendAsync(Plain(502, end.ErrorBody ?? $"The function streamed a response that is not an HTTP integration response ({streamed.ContentType ?? "no content type"})."), CancellationToken.None).ConfigureAwait(false);
            return;
        }

        var head = _adapter.ReadLocalResponse(prelude);
        await response.StartAsync(head.StatusCode, head.Headers, CancellationToken.None).ConfigureAwait(false);
        await response.WriteAsync(bodyStart, CancellationToken.None).ConfigureAwait(false);
        await foreach (var chunk in streamed.Chunks.ReadAllAsync().ConfigureAwait(false))
        {
            await response.WriteAsync(chunk, CancellationToken.None).ConfigureAwait(false);
        }

        if ((await streamed.End.ConfigureAwait(false)) is { ErrorType: { } errorType } failed)
        {
            Log.Warn($"local front door: the function failed mid-stream ({errorType}): {failed.ErrorBody}");
            throw new ConnectionAbortedByHandlerException();
        }
    }

    private static BufferedHttpResponse Plain(int status, string message)
    {
        var headers = new HttpHeaderCollection();
        headers.Set("Content-Type", MediaTypes.Json);
        return new BufferedHttpResponse(status, headers, LambdaErrorDocument.Create(status == 502 ? "FunctionError" : "LocalFrontDoor", message));
    }
}
