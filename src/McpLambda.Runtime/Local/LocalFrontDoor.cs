using McpLambda.Runtime.EventAdapters;
using McpLambda.Runtime.Hosting;
using McpLambda.Runtime.Http;
using McpLambda.Runtime.RuntimeApi;


namespace McpLambda.Runtime.Local;

/// <summary>
/// Local mode's stand-in for the AWS front door (API Gateway, function URL, Invoke): turns real HTTP
/// requests on loopback into the event adapter's real event JSON, invokes the function through the Runtime
/// API emulator, and turns the function's response back into HTTP.
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
        _server = LoopbackHttpServer.Start(port, HandleAsync);
        _guard = new LoopbackRequestGuard(_server.Port, allowedOrigins, requireJsonContent: adapter is LambdaInvokeEventAdapter);
        Url = new Uri($"http://127.0.0.1:{_server.Port}{McpPath}");
    }

    /// <summary>The MCP endpoint, e.g. <c>http://127.0.0.1:8080/mcp</c>.</summary>
    public Uri Url { get; }

    /// <summary>Starts serving on <paramref name="port"/> (0: a free port), to loopback hosts and origins and <paramref name="allowedOrigins"/>.</summary>
    public static LocalFrontDoor Start(int port, LambdaEventAdapter adapter, RuntimeApiEmulator lambda, IReadOnlyList<string>? allowedOrigins = null)
        => new(port, adapter, lambda, allowedOrigins ?? []);

    /// <inheritdoc/>
    public ValueTask DisposeAsync() => _server.DisposeAsync();

    private async Task<BufferedHttpResponse> HandleAsync(BufferedHttpRequest request)
    {
        if (request.Path.TrimEnd('/') != McpPath)
        {
            return Plain(404, $"Not found: the MCP endpoint is {McpPath}");
        }

        if (_guard.Check(request) is { } refusal)
        {
            Log.Warn($"local front door: refused {request.Method} from Host '{request.Headers["Host"]}', Origin '{request.Headers["Origin"]}'");
            return refusal;
        }

        try
        {
            var payload = _adapter.CreateLocalEvent(request, out var clientContext);
            var result = await _lambda.InvokeAsync(payload, new LambdaInvokeOptions(ClientContext: clientContext)).ConfigureAwait(false);
            return result.FunctionError is null
                ? _adapter.ReadLocalResponse(result.Payload)
                : Plain(502, System.Text.Encoding.UTF8.GetString(result.Payload));
        }
        catch (Exception ex)
        {
            Log.Error("local front door: " + ex);
            return Plain(500, ex.Message);
        }
    }

    private static BufferedHttpResponse Plain(int status, string message)
    {
        var headers = new HttpHeaderCollection();
        headers.Set("Content-Type", MediaTypes.Json);
        return new BufferedHttpResponse(status, headers, LambdaErrorDocument.Create(status == 502 ? "FunctionError" : "LocalFrontDoor", message));
    }
}
