using McpLambda.Runtime.Authorization;
using McpLambda.Runtime.Http;
using McpLambda.Runtime.Invocations;
using McpLambda.Runtime.JsonRpc;
using McpLambda.Runtime.Protocol;
using ModelContextProtocol.Protocol;

namespace McpLambda.Runtime.StreamableHttp;

/// <summary>What the transport's rules made of one HTTP request: its refusal, or what its answer needs to know.</summary>
/// <param name="Rejection">The answer to a refused request; null when it goes on.</param>
/// <param name="AllowOrigin">The CORS origin to allow in the answer, if any.</param>
/// <param name="AcceptsJson">Whether the client takes a plain JSON answer.</param>
/// <param name="AcceptsSse">Whether the client takes an event stream.</param>
/// <param name="Body">The messages, when the request goes on.</param>
/// <param name="IsModern">Whether the request is a modern (MCP 2026-07-28) one, whose refusals carry their own HTTP status.</param>
internal sealed record RequestCheck(BufferedHttpResponse? Rejection, string? AllowOrigin, bool AcceptsJson, bool AcceptsSse, JsonRpcBody? Body, bool IsModern)
{
    /// <summary>A refused request.</summary>
    public static RequestCheck Refused(BufferedHttpResponse rejection) => new(rejection, null, false, false, null, false);
}

/// <summary>
/// The MCP Streamable HTTP transport rules for a stateless server: one POST carries one JSON-RPC
/// message (or a batch where the protocol revision allows it) and gets its answer in the response.
/// No session id is issued and no server-initiated stream is offered.
/// </summary>
internal sealed class StreamableHttpHandler
{
    private const string AllowedMethods = "POST, OPTIONS";
    private const string AllowedRequestHeaders = "Content-Type, Accept, Authorization, MCP-Protocol-Version, Mcp-Method, Mcp-Name, Mcp-Session-Id, Last-Event-ID, X-Amz-Date, X-Amz-Security-Token, X-Amz-Content-Sha256";
    private readonly McpMessageDispatcher _dispatcher;
    private readonly StreamableHttpOptions _options;
    private readonly ResourceServer? _resourceServer;

    /// <summary>Creates the rules in front of <paramref name="dispatcher"/>.</summary>
    public StreamableHttpHandler(McpMessageDispatcher dispatcher, StreamableHttpOptions? options = null)
        : this(dispatcher, options, null)
    {
    }

    /// <summary>Creates the rules in front of <paramref name="dispatcher"/>, behind <paramref name="resourceServer"/> when OAuth protects the endpoint.</summary>
    internal StreamableHttpHandler(McpMessageDispatcher dispatcher, StreamableHttpOptions? options, ResourceServer? resourceServer)
    {
        _dispatcher = dispatcher;
        _options = options ?? new StreamableHttpOptions();
        _resourceServer = resourceServer;
    }

    /// <summary>
    /// Answers one HTTP request into <paramref name="response"/>. When the response is live and the client takes an event
    /// stream, the server's notifications and requests for the call reach the client as they happen.
    /// </summary>
    internal async Task HandleAsync(BufferedHttpRequest request, IHttpResponseWriter response, InvocationContext invocation)
    {
        var cancellationToken = invocation.Cancellation;
        if (_resourceServer is not null && await GuardAsync(_resourceServer, request, invocation).ConfigureAwait(false) is { } guarded)
        {
            await response.SendAsync(guarded, cancellationToken).ConfigureAwait(false);
            return;
        }

        var check = Check(request);
        if (check.Rejection is not null)
        {
            await response.SendAsync(check.Rejection, cancellationToken).ConfigureAwait(false);
            return;
        }

        var body = check.Body!;

        // Only a body with answers to send gets a live event stream: one opened for a body of notifications and responses
        // (by a keep-alive while they are passed on) would have no answer to end it, and such a body gets 202.
        if (response.IsLive && check.AcceptsSse && body.ExpectsAnswers)
        {
            await StreamAsync(check, response, invocation).ConfigureAwait(false);
            return;
        }

        // A client that takes an event stream gets the server's notifications for its requests before the answer.
        var notifications = check.AcceptsSse ? new NotificationCollector(_dispatcher.MaxResponseBytes) : null;
        var answers = await _dispatcher.DispatchAsync(body, notifications, invocation).ConfigureAwait(false);
        if ((Unaccepted(body, answers, check.AllowOrigin) ?? RefusedWithStatus(check, answers)) is { } unaccepted)
        {
            await response.SendAsync(unaccepted, cancellationToken).ConfigureAwait(false);
            return;
        }

        // A streamed answer has its own limit; the writer says what the answer's bytes cost in its response.
        var json = _dispatcher.Serialize(answers, response.SizeOf, streamed: response.IsLive);
        var collected = notifications?.Collected ?? [];
        var dropped = notifications?.Dropped ?? 0;
        await response.SendAsync(check.AcceptsJson && collected.Count == 0 && dropped == 0
            ? Answer(json, check.AllowOrigin)
            : EventStream(_dispatcher.FitNotifications(collected, json, response.SizeOf, dropped), json, check.AllowOrigin), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// The resource server's answer in place of MCP's (its metadata, or a refused token), with CORS that lets a browser
    /// client read the challenge; null to go on. A preflight carries no token, and a foreign origin is refused by the
    /// rules either way, so both pass through to them.
    /// </summary>
    private async Task<BufferedHttpResponse?> GuardAsync(ResourceServer resourceServer, BufferedHttpRequest request, InvocationContext invocation)
    {
        var origin = request.Headers["Origin"];
        var allowOrigin = AllowedOrigin(request);
        if (request.Method == "OPTIONS" || (origin is not null && allowOrigin is null)
            || await resourceServer.GuardAsync(request, invocation).ConfigureAwait(false) is not { } answer)
        {
            return null;
        }

        AddCors(answer.Headers, allowOrigin);
        answer.Headers.Set("Access-Control-Expose-Headers", "WWW-Authenticate");
        return answer;
    }

    /// <summary>The answers to a body with requests, as an event stream written while the requests run.</summary>
    private async Task StreamAsync(RequestCheck check, IHttpResponseWriter response, InvocationContext invocation)
    {
        var cancellationToken = invocation.Cancellation;
        await using var stream = new LiveEventStream(response, EventStreamHeaders(check.AllowOrigin), _options.KeepAliveInterval, _dispatcher.MaxStreamedResponseBytes);
        var answers = await _dispatcher.DispatchAsync(check.Body!, stream, invocation).ConfigureAwait(false);
        if (RefusedWithStatus(check, answers) is { } refused && stream.TryClaimForJson())
        {
            // Nothing went out yet: the refusal takes its own status, as a modern client expects.
            await response.SendAsync(refused, cancellationToken).ConfigureAwait(false);
            return;
        }

        var json = _dispatcher.Serialize(answers, response.SizeOf, streamed: true);
        if (check.AcceptsJson && stream.TryClaimForJson())
        {
            await response.SendAsync(Answer(json, check.AllowOrigin), cancellationToken).ConfigureAwait(false);
            return;
        }

        await stream.CompleteAsync(json).ConfigureAwait(false);
    }

    /// <summary>
    /// The answer to a body of notifications and responses only: 202 when all were taken, the first refusal when not
    /// (400 for a response to a server request nobody is waiting for, 413 for one too large to relay; see
    /// <see cref="RefusalStatus"/>); null for a body with requests.
    /// </summary>
    private static BufferedHttpResponse? Unaccepted(JsonRpcBody body, JsonRpcAnswers answers, string? allowOrigin)
    {
        if (body.ExpectsAnswers)
        {
            return null;
        }

        return answers.Messages.OfType<JsonRpcError>().FirstOrDefault() is { } refused ? Reject(refused.HttpStatus(), refused, allowOrigin) : Accepted(allowOrigin);
    }

    /// <summary>
    /// A modern request refused with a status of its own (400 for a bad <c>_meta</c>, 404 for an unknown method: see
    /// <see cref="RefusalStatus.ExplicitHttpStatus"/>), as the HTTP response; null for any other answer, which goes with 200.
    /// </summary>
    private static BufferedHttpResponse? RefusedWithStatus(RequestCheck check, JsonRpcAnswers answers)
        => check.IsModern && answers.Messages is [JsonRpcError error] && error.ExplicitHttpStatus() is { } status
            ? Reject(status, error, check.AllowOrigin)
            : null;

    /// <summary>Applies the transport's rules to <paramref name="request"/>: the refusal, or what the answer needs to know.</summary>
    private RequestCheck Check(BufferedHttpRequest request)
    {
        var origin = request.Headers["Origin"];
        var allowOrigin = AllowedOrigin(request);
        if (origin is not null && allowOrigin is null)
        {
            return RequestCheck.Refused(Reject(403, JsonRpcErrorCodes.InvalidRequest, $"Origin '{origin}' is not allowed.", null));
        }

        if (request.Method == "OPTIONS")
        {
            return RequestCheck.Refused(Preflight(allowOrigin, request.Headers["Access-Control-Request-Headers"]));
        }

        if (request.Method != "POST")
        {
            var response = Reject(405, JsonRpcErrorCodes.InvalidRequest,
                $"Method {request.Method} is not allowed: this stateless MCP endpoint takes POST only (no server-initiated stream, no session to delete).", allowOrigin);
            response.Headers.Set("Allow", AllowedMethods);
            return RequestCheck.Refused(response);
        }

        if (request.Body.Length > _options.MaxRequestBodyBytes)
        {
            return RequestCheck.Refused(Reject(413, JsonRpcErrorCodes.InvalidRequest, $"The request body is {request.Body.Length} bytes; the limit is {_options.MaxRequestBodyBytes}.", allowOrigin));
        }

        if (!MediaTypes.IsType(request.Headers["Content-Type"], MediaTypes.Json))
        {
            return RequestCheck.Refused(Reject(415, JsonRpcErrorCodes.InvalidRequest,
                $"Content-Type must be application/json, not '{request.Headers["Content-Type"] ?? "(none)"}'.", allowOrigin));
        }

        var accept = request.Headers["Accept"];
        var acceptsJson = MediaTypes.Accepts(accept, MediaTypes.Json);
        var acceptsSse = !string.IsNullOrWhiteSpace(accept) && MediaTypes.Accepts(accept, MediaTypes.EventStream);
        if (!acceptsJson && !acceptsSse)
        {
            return RequestCheck.Refused(Reject(406, JsonRpcErrorCodes.InvalidRequest, $"Accept must admit application/json or text/event-stream, not '{accept}'.", allowOrigin));
        }

        var version = request.Headers["MCP-Protocol-Version"]?.Trim() ?? McpProtocolVersions.Default;
        var body = _dispatcher.Read(request.Body, version);
        var single = !body.IsBatch && body.Entries is [{ Message: JsonRpcRequest one }] ? one : null;
        if (!McpProtocolVersions.Supported.Contains(version))
        {
            // The modern error, which a modern client reads to pick a version, and which names them for a legacy one; it
            // answers the request by its id when the body is one request, and a header that contradicts the body comes first.
            var unsupported = (single is null ? null : ModernHeaders.VersionMismatch(request.Headers, single)) ?? ModernRequest.Unsupported(single?.Id ?? default, version)!;
            return RequestCheck.Refused(Reject(400, unsupported, allowOrigin));
        }

        if (body.Rejection is { } rejection)
        {
            return RequestCheck.Refused(Reject(400, rejection, allowOrigin));
        }

        var modern = McpProtocolVersions.IsModern(version) || body.Entries.Any(e => e.Message is { } m && ModernRequest.Declares(m));
        if (modern && single is not null
            && (ModernHeaders.VersionMismatch(request.Headers, single) ?? ModernRequest.Admit(single, ModernHeaders.Params(request.Headers)) ?? ModernHeaders.Mismatch(request.Headers, single, ModernRequest.Of(single)!)) is { } refused)
        {
            return RequestCheck.Refused(Reject(refused.HttpStatus(), refused, allowOrigin));
        }

        if (modern && body.IsBatch)
        {
            // Only a legacy revision's header lets a batch through; a modern request in it says otherwise.
            return RequestCheck.Refused(Reject(400, JsonRpcErrorCodes.HeaderMismatch,
                $"Header mismatch: the MCP-Protocol-Version header names {version}, but the batch holds {McpProtocolVersions.Modern} requests, which are sent one per POST.", allowOrigin));
        }

        return new RequestCheck(null, allowOrigin, acceptsJson, acceptsSse, body, modern);
    }

    /// <summary>
    /// The answer to an event that describes no HTTP request (e.g. invalid base64 with <c>isBase64Encoded</c>):
    /// 400 with a JSON-RPC error, like every other rejection. Its <c>Origin</c> is unknown, so only a function
    /// open to every origin sends the CORS header.
    /// </summary>
    internal BufferedHttpResponse RejectMalformedEvent(string message)
        => Reject(400, JsonRpcErrorCodes.InvalidRequest, message, AllowedOrigin(null));

    private string? AllowedOrigin(BufferedHttpRequest? request) => OriginPolicy.AllowOrigin(_options.AllowedOrigins, request);

    /// <summary>
    /// The answer to a CORS preflight. Besides the fixed request headers it allows the <c>Mcp-Param-*</c> headers the
    /// browser asks about (MCP 2026-07-28 names them after a tool's arguments, so no fixed list can hold them); its
    /// answer then depends on the request's list, which <c>Vary</c> says.
    /// </summary>
    private static BufferedHttpResponse Preflight(string? allowOrigin, string? requestedHeaders)
    {
        var headers = new HttpHeaderCollection();
        AddCors(headers, allowOrigin);
        headers.Set("Vary", headers["Vary"] is { } vary ? vary + ", Access-Control-Request-Headers" : "Access-Control-Request-Headers");
        headers.Set("Access-Control-Allow-Methods", AllowedMethods);
        var parameterHeaders = (requestedHeaders ?? "").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            .Where(HeaderValues.IsParameterHeader)
            .Distinct(StringComparer.OrdinalIgnoreCase);
        headers.Set("Access-Control-Allow-Headers", string.Join(", ", [AllowedRequestHeaders, .. parameterHeaders]));
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
        using var body = new MemoryStream();
        foreach (var notification in notifications)
        {
            WriteEvent(body, notification);
        }

        WriteEvent(body, answer);
        return new BufferedHttpResponse(200, EventStreamHeaders(allowOrigin), body.ToArray());
    }

    private static HttpHeaderCollection EventStreamHeaders(string? allowOrigin)
    {
        var headers = new HttpHeaderCollection();
        AddCors(headers, allowOrigin);
        headers.Set("Content-Type", MediaTypes.EventStream);
        headers.Set("Cache-Control", "no-cache");
        return headers;
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
