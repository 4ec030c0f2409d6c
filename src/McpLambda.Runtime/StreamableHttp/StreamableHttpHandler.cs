using McpLambda.Runtime.Http;
using McpLambda.Runtime.JsonRpc;
using ModelContextProtocol.Protocol;

namespace McpLambda.Runtime.StreamableHttp;

/// <summary>
/// The MCP Streamable HTTP transport rules for a stateless server: one POST carries one JSON-RPC
/// message (or a batch where the protocol revision allows it) and gets its answer in the response.
/// No session id is issued and no server-initiated stream is offered.
/// </summary>
public sealed class StreamableHttpHandler
{
    private const string AllowedMethods = "POST, OPTIONS";
    private const string AllowedRequestHeaders = "Content-Type, Accept, Authorization, MCP-Protocol-Version, Mcp-Session-Id, Last-Event-ID, X-Amz-Date, X-Amz-Security-Token, X-Amz-Content-Sha256";
    private readonly McpMessageDispatcher _dispatcher;
    private readonly StreamableHttpOptions _options;

    /// <summary>Creates the rules in front of <paramref name="dispatcher"/>.</summary>
    public StreamableHttpHandler(McpMessageDispatcher dispatcher, StreamableHttpOptions? options = null)
    {
        _dispatcher = dispatcher;
        _options = options ?? new StreamableHttpOptions();
    }

    /// <summary>Answers one HTTP request. Never throws for bad input: every rejection is an HTTP status with a JSON-RPC error body.</summary>
    public async ValueTask<BufferedHttpResponse> HandleAsync(BufferedHttpRequest request, CancellationToken cancellationToken)
    {
        var origin = request.Headers["Origin"];
        var allowOrigin = AllowedOrigin(origin);
        if (origin is not null && allowOrigin is null)
        {
            return Reject(403, JsonRpcErrorCodes.InvalidRequest, $"Origin '{origin}' is not allowed.", null);
        }

        if (request.Method == "OPTIONS")
        {
            return Preflight(allowOrigin);
        }

        if (request.Method != "POST")
        {
            var response = Reject(405, JsonRpcErrorCodes.InvalidRequest,
                $"Method {request.Method} is not allowed: this stateless MCP endpoint takes POST only (no server-initiated stream, no session to delete).", allowOrigin);
            response.Headers.Set("Allow", AllowedMethods);
            return response;
        }

        if (request.Body.Length > _options.MaxRequestBodyBytes)
        {
            return Reject(413, JsonRpcErrorCodes.InvalidRequest, $"The request body is {request.Body.Length} bytes; the limit is {_options.MaxRequestBodyBytes}.", allowOrigin);
        }

        if (!MediaTypes.IsType(request.Headers["Content-Type"], MediaTypes.Json))
        {
            return Reject(415, JsonRpcErrorCodes.InvalidRequest,
                $"Content-Type must be application/json, not '{request.Headers["Content-Type"] ?? "(none)"}'.", allowOrigin);
        }

        var accept = request.Headers["Accept"];
        var acceptsJson = MediaTypes.Accepts(accept, MediaTypes.Json);
        var acceptsSse = !string.IsNullOrWhiteSpace(accept) && MediaTypes.Accepts(accept, MediaTypes.EventStream);
        if (!acceptsJson && !acceptsSse)
        {
            return Reject(406, JsonRpcErrorCodes.InvalidRequest, $"Accept must admit application/json or text/event-stream, not '{accept}'.", allowOrigin);
        }

        var version = request.Headers["MCP-Protocol-Version"]?.Trim() ?? McpProtocolVersions.Default;
        if (!McpProtocolVersions.Supported.Contains(version))
        {
            return Reject(400, JsonRpcErrorCodes.InvalidRequest,
                $"Unsupported MCP-Protocol-Version '{version}'; supported: {string.Join(", ", McpProtocolVersions.Supported)}.", allowOrigin);
        }

        var body = _dispatcher.Read(request.Body, version);
        if (body.Rejection is { } rejection)
        {
            return Reject(400, rejection, allowOrigin);
        }

        // A client that takes an event stream gets the server's notifications for its requests before the answer.
        var answers = await _dispatcher.DispatchAsync(body, withNotifications: acceptsSse, cancellationToken).ConfigureAwait(false);
        if (answers.IsEmpty)
        {
            return Accepted(allowOrigin);
        }

        var json = _dispatcher.Serialize(answers, embedded: true);
        return acceptsJson && answers.Notifications.Count == 0
            ? Answer(json, allowOrigin)
            : EventStream(_dispatcher.SerializeNotifications(answers, json, embedded: true), json, allowOrigin);
    }

    /// <summary>
    /// The answer to an event that describes no HTTP request (e.g. invalid base64 with <c>isBase64Encoded</c>):
    /// 400 with a JSON-RPC error, like every other rejection. Its <c>Origin</c> is unknown, so only a function
    /// open to every origin sends the CORS header.
    /// </summary>
    internal BufferedHttpResponse RejectMalformedEvent(string message)
        => Reject(400, JsonRpcErrorCodes.InvalidRequest, message, AllowedOrigin(null));

    private string? AllowedOrigin(string? origin)
    {
        if (_options.AllowedOrigins is not { } allowed)
        {
            return "*";
        }

        return origin is not null && allowed.Contains(origin, StringComparer.OrdinalIgnoreCase) ? origin : null;
    }

    private static BufferedHttpResponse Preflight(string? allowOrigin)
    {
        var headers = new HttpHeaderCollection();
        AddCors(headers, allowOrigin);
        headers.Set("Access-Control-Allow-Methods", AllowedMethods);
        headers.Set("Access-Control-Allow-Headers", AllowedRequestHeaders);
        headers.Set("Access-Control-Max-Age", "86400");
        headers.Set("Allow", AllowedMethods);
        return new BufferedHttpResponse(204, headers, ReadOnlyMemory<byte>.Empty);
    }

    private static BufferedHttpResponse Accepted(string? allowOrigin)
    {
        var headers = new HttpHeaderCollection();
        AddCors(headers, allowOrigin);
        return new BufferedHttpResponse(202, headers, ReadOnlyMemory<byte>.Empty);
    }

    private static BufferedHttpResponse Answer(byte[] json, string? allowOrigin)
    {
        var headers = new HttpHeaderCollection();
        AddCors(headers, allowOrigin);
        headers.Set("Content-Type", MediaTypes.Json);
        return new BufferedHttpResponse(200, headers, json);
    }

    /// <summary>An SSE stream: one <c>message</c> event per notification, then the answer's.</summary>
    private static BufferedHttpResponse EventStream(IReadOnlyList<byte[]> notifications, byte[] answer, string? allowOrigin)
    {
        var headers = new HttpHeaderCollection();
        AddCors(headers, allowOrigin);
        headers.Set("Content-Type", MediaTypes.EventStream);
        headers.Set("Cache-Control", "no-cache");
        using var body = new MemoryStream();
        foreach (var notification in notifications)
        {
            WriteEvent(body, notification);
        }

        WriteEvent(body, answer);
        return new BufferedHttpResponse(200, headers, body.ToArray());
    }

    private static void WriteEvent(MemoryStream body, byte[] json)
    {
        body.Write("event: message\ndata: "u8);
        body.Write(json);
        body.Write("\n\n"u8);
    }

    /// <summary>The one shape of a refused HTTP request: <paramref name="status"/> with a JSON-RPC error that says why.</summary>
    internal static BufferedHttpResponse Reject(int status, int code, string message, string? allowOrigin)
        => Reject(status, JsonRpcMessages.Error(default, code, message), allowOrigin);

    private static BufferedHttpResponse Reject(int status, JsonRpcError error, string? allowOrigin)
    {
        var headers = new HttpHeaderCollection();
        AddCors(headers, allowOrigin);
        headers.Set("Content-Type", MediaTypes.Json);
        return new BufferedHttpResponse(status, headers, JsonRpcMessages.ToUtf8(error));
    }

    private static void AddCors(HttpHeaderCollection headers, string? allowOrigin)
    {
        if (allowOrigin is not null)
        {
            headers.Set("Access-Control-Allow-Origin", allowOrigin);
            if (allowOrigin != "*")
            {
                headers.Set("Vary", "Origin");
            }
        }
    }
}
