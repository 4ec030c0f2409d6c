using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using McpLambda.Runtime.Authorization;
using McpLambda.Runtime.Invocations;
using McpLambda.Runtime.JsonRpc;
using McpLambda.Runtime.Protocol;
using ModelContextProtocol.Protocol;

namespace McpLambda.Runtime.Bridge;

/// <summary>
/// Answers modern (MCP 2026-07-28) requests with a legacy server, which the bridge initialized with the handshake:
/// <c>server/discover</c> from its <c>initialize</c> result, results with <c>resultType</c>, the server's identity and
/// (when cacheable) <c>ttlMs</c>/<c>cacheScope</c>, and the server's requests to the client during <c>tools/call</c>,
/// <c>prompts/get</c> or <c>resources/read</c> as an <c>InputRequiredResult</c> whose sealed <c>requestState</c> lets any
/// execution environment serve the retry: the one holding the paused call gives the server the answers; another runs
/// the request again and answers the server's requests from those the state and the retry carry. A modern server's
/// requests pass through instead (see <see cref="ModernPassThrough"/>).
/// </summary>
internal sealed class ModernBridge
{
    /// <summary>The methods of MCP 2026-07-28 a legacy server's function serves.</summary>
    private static readonly HashSet<string> Served =
    [
        RequestMethods.ServerDiscover, RequestMethods.ToolsList, RequestMethods.ToolsCall, RequestMethods.PromptsList, RequestMethods.PromptsGet,
        RequestMethods.ResourcesList, RequestMethods.ResourcesRead, RequestMethods.ResourcesTemplatesList, RequestMethods.CompletionComplete,
    ];

    /// <summary>The methods that may answer with an <c>InputRequiredResult</c>.</summary>
    private static readonly HashSet<string> MayAsk = [RequestMethods.ToolsCall, RequestMethods.PromptsGet, RequestMethods.ResourcesRead];

    /// <summary>The methods whose results are cacheable (<c>ttlMs</c>, <c>cacheScope</c>).</summary>
    private static readonly HashSet<string> Cacheable =
    [
        RequestMethods.ServerDiscover, RequestMethods.ToolsList, RequestMethods.PromptsList, RequestMethods.ResourcesList,
        RequestMethods.ResourcesRead, RequestMethods.ResourcesTemplatesList,
    ];

    private readonly ModernOptions _options;
    // Made at first use: a generated key loads the platform's crypto library, which init need not wait for.
    private readonly Lazy<FlowSeal> _seal;
    private readonly ConcurrentDictionary<string, Paused> _paused = new();

    public ModernBridge(ModernOptions options)
    {
        _options = options;
        _seal = new(() => new FlowSeal(options.RequestStateKey ?? System.Security.Cryptography.RandomNumberGenerator.GetBytes(FlowSeal.KeyBytes), TimeProvider.System));
    }

    /// <summary>How many calls wait here for their client's input.</summary>
    internal int PausedCalls => _paused.Count;

    /// <summary>Answers <paramref name="request"/> with <paramref name="server"/>; a late call throws as the bridge's other calls do.</summary>
    public async Task<JsonRpcMessage> AnswerAsync(StdioServerConnection server, JsonRpcRequest request, ModernRequest modern, IClientMessageSink? client, InvocationContext invocation)
    {
        var cancellationToken = invocation.Cancellation;
        var caller = invocation.Caller?.Subject ?? "";
        if (request.Method == "subscriptions/listen")
        {
            return JsonRpcMessages.Error(request.Id, JsonRpcErrorCodes.MethodNotFound,
                "Method not found: this function does not offer subscriptions/listen (its execution environments come and go, so none can promise change notifications); list again instead.").WithHttpStatus(404);
        }

        if (request.Method == RequestMethods.ToolsCall && modern.ParamHeaders is { } headers
            && await ParamHeadersMismatchAsync(server, request.Id, request.Params as JsonObject, headers, cancellationToken).ConfigureAwait(false) is { } mismatch)
        {
            return mismatch;
        }

        if (await server.DiscoverResult.ConfigureAwait(false) is not null)
        {
            return await ModernPassThrough.AnswerAsync(server, request, client, invocation).ConfigureAwait(false);
        }

        if (!Served.Contains(request.Method))
        {
            return JsonRpcMessages.Error(request.Id, JsonRpcErrorCodes.MethodNotFound,
                $"Method not found: '{request.Method}' is not a method of MCP {modern.Version} that this function serves.").WithHttpStatus(404);
        }

        if (request.Method == RequestMethods.ServerDiscover)
        {
            return new JsonRpcResponse { Id = request.Id, Result = Discover(server.InitializeResult) };
        }

        var (own, retry) = Split(request.Params as JsonObject);

        if (!MayAsk.Contains(request.Method))
        {
            var call = new ModernCall(modern, mayAsk: false, []);
            call.Attach(client);
            return Finish(request, server, await server.CallerRequestAsync(request.Method, own, call, invocation).ConfigureAwait(false));
        }

        var digest = RequestState.DigestOf(WithoutMeta(own));
        IReadOnlyList<InputExchange> known = [];
        if (retry is not null)
        {
            var resumption = Resume(request, caller, retry, digest);
            if (resumption.Refusal is { } refusal)
            {
                return refusal;
            }

            if (resumption.Paused is { } paused)
            {
                // This environment still holds the call: the server gets the answers and goes on.
                paused.Call.Attach(client);
                paused.Call.Resume(resumption.Responses);
                return await WaitAsync(request, server, paused.Call, paused.Answer, caller, digest, cancellationToken).ConfigureAwait(false);
            }

            known = resumption.Known;
        }

        var run = new ModernCall(modern, mayAsk: true, known);
        run.Attach(client);
        // The run has a lifetime of its own: it may wait for its client's input after this invocation has ended.
        var answer = server.CallerRequestAsync(request.Method, own, run, new InvocationContext(invocation.RequestId, invocation.TraceId, null, run.Lifetime.Token));
        return await WaitAsync(request, server, run, answer, caller, digest, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// The <c>HeaderMismatch</c> error for a <c>tools/call</c> over HTTP whose <c>Mcp-Param-*</c> headers do not mirror the
    /// arguments its tool marks with <c>x-mcp-header</c> (see <see cref="ToolHeaderParameter.Mismatch"/>), or null. The
    /// tool's schema comes from the server's tool list, which the server's <see cref="ToolHeaderCatalog"/> keeps.
    /// </summary>
    private static async Task<JsonRpcError?> ParamHeadersMismatchAsync(
        StdioServerConnection server, RequestId id, JsonObject? own, IReadOnlyDictionary<string, string> headers, CancellationToken cancellationToken)
    {
        if (own?["name"] is not JsonValue name || !name.TryGetValue<string>(out var tool))
        {
            return null;
        }

        var parameters = await server.ToolHeaders.ForAsync(server, tool, cancellationToken).ConfigureAwait(false);
        return parameters.Count == 0 ? null : ToolHeaderParameter.Mismatch(id, parameters, own["arguments"] as JsonObject, headers);
    }

    /// <summary>What a retry's state and answers lead to: a refusal, the paused call here, or the answers to replay.</summary>
    private sealed record Resumption(JsonRpcError? Refusal, Paused? Paused, JsonObject Responses, IReadOnlyList<InputExchange> Known);

    private Resumption Resume(JsonRpcRequest request, string caller, JsonObject retry, string digest)
    {
        if (retry["inputResponses"] is { } given && given is not JsonObject)
        {
            return Refused(request, "inputResponses must be an object that maps each input request's key to the client's result");
        }

        var responses = retry["inputResponses"] as JsonObject ?? [];
        if (retry["requestState"] is not JsonValue text || !text.TryGetValue<string>(out var sealedState))
        {
            // Answers without state: nothing says what they answer, so the request runs as new.
            return new Resumption(null, null, responses, []);
        }

        if (RequestState.Open(_seal.Value, sealedState) is not { } state)
        {
            return Refused(request, "requestState is not valid here: it was altered, has expired, or was sealed by another function");
        }

        if (state.Caller != caller)
        {
            return Refused(request, "requestState belongs to another caller");
        }

        if (state.Method != request.Method || state.Digest != digest)
        {
            return Refused(request, "requestState belongs to another request (another method or other params)");
        }

        if (_paused.TryRemove(state.PausedCall, out var paused))
        {
            paused.Expiry.Dispose();
            if (!paused.Answer.IsCompleted)
            {
                return new Resumption(null, paused, responses, []);
            }
        }

        // Not held here (another environment paused it, or it ended): replay what the client has answered, in order.
        var known = state.Answered.Concat(state.Pending.TakeWhile(p => responses.ContainsKey(p.Key)).Select(p => p with { Response = responses[p.Key]!.DeepClone() }));
        return new Resumption(null, null, responses, [.. known]);
    }

    private static Resumption Refused(JsonRpcRequest request, string why)
        => new(JsonRpcMessages.Error(request.Id, JsonRpcErrorCodes.InvalidParams, $"Invalid params: {why}.").WithHttpStatus(400), null, [], []);

    /// <summary>Waits for the server's answer to the run, or its first question to the client, which pauses the run here.</summary>
    private async Task<JsonRpcMessage> WaitAsync(
        JsonRpcRequest request, StdioServerConnection server, ModernCall run, Task<JsonRpcMessage> answer, string caller, string digest, CancellationToken cancellationToken)
    {
        try
        {
            if (await run.NextAsync(answer, cancellationToken).ConfigureAwait(false) is { } done)
            {
                return run.MissingCapabilities(done) is { } required ? MissingCapabilities(request, required) : Finish(request, server, done);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        finally
        {
            run.Attach(null);
        }

        var id = UnguessableId.New("call-");
        var state = new RequestState(caller, request.Method, digest, id, run.Answered, run.Pending);
        var expiry = new Timer(_ => Expire(id), null, _options.RequestStateLifetime, Timeout.InfiniteTimeSpan);
        _paused[id] = new Paused(run, answer, expiry);
        var inputRequests = new JsonObject();
        foreach (var input in run.Pending)
        {
            inputRequests[input.Key] = new JsonObject { ["method"] = input.Method, ["params"] = input.Params?.DeepClone() };
        }

        var result = new JsonObject
        {
            ["resultType"] = "input_required",
            ["inputRequests"] = inputRequests,
            ["requestState"] = state.Seal(_seal.Value, _options.RequestStateLifetime),
        };
        AddServerInfo(result, server.InitializeResult);
        return new JsonRpcResponse { Id = request.Id, Result = result };
    }

    /// <summary>The <c>MissingRequiredClientCapability</c> error (HTTP 400) for a call that needed <paramref name="required"/> (see <see cref="ModernCall.MissingCapabilities"/>).</summary>
    private static JsonRpcError MissingCapabilities(JsonRpcRequest request, JsonObject required)
        => JsonRpcMessages.Error(request.Id, JsonRpcErrorCodes.MissingRequiredClientCapability,
            $"Missing required client capability: the server needs {string.Join(" and ", required.Select(c => c.Key))} for this request, which its clientCapabilities do not declare.",
            new JsonObject { ["requiredCapabilities"] = required }).WithHttpStatus(400);

    /// <summary>A paused call whose client did not come back in time (or came back elsewhere): the server is refused its inputs.</summary>
    private void Expire(string id)
    {
        if (_paused.TryRemove(id, out var paused))
        {
            paused.Expiry.Dispose();
            paused.Call.Abandon("its retry did not come back to this execution environment in time");
            _ = paused.Answer.ContinueWith(_ => { }, TaskScheduler.Default);
        }
    }

    /// <summary>The server's answer as a modern client takes it.</summary>
    private JsonRpcMessage Finish(JsonRpcRequest request, StdioServerConnection server, JsonRpcMessage answer)
    {
        switch (answer)
        {
            case JsonRpcResponse { Result: var result }:
                var complete = result is JsonObject given ? given.DeepClone().AsObject() : new JsonObject();
                complete["resultType"] ??= "complete";
                AddServerInfo(complete, server.InitializeResult);
                if (Cacheable.Contains(request.Method))
                {
                    AddCaching(complete);
                }

                return new JsonRpcResponse { Id = request.Id, Result = complete };
            case JsonRpcError { Error: var error }:
                // Resource not found was -32002 before 2026-07-28, which names it -32602; an unknown method is refused with 404.
                var code = error.Code == -32002 ? JsonRpcErrorCodes.InvalidParams : error.Code;
                var translated = new JsonRpcError { Id = request.Id, Error = new JsonRpcErrorDetail { Code = code, Message = error.Message, Data = error.Data } };
                return code == JsonRpcErrorCodes.MethodNotFound ? translated.WithHttpStatus(404) : translated;
            default:
                return JsonRpcMessages.Error(request.Id, JsonRpcErrorCodes.InternalError, "The MCP server sent an answer of an unknown kind.");
        }
    }

    /// <summary>
    /// <c>server/discover</c>'s answer from the server's <c>initialize</c> result. List changes are not advertised: a
    /// function offers no <c>subscriptions/listen</c> (its environments come and go).
    /// </summary>
    private JsonObject Discover(JsonNode initializeResult)
    {
        var result = new JsonObject
        {
            ["resultType"] = "complete",
            ["capabilities"] = initializeResult["capabilities"]?.DeepClone() as JsonObject ?? [],
        };
        AsFunctions(result);
        if (initializeResult["instructions"] is { } instructions)
        {
            result["instructions"] = instructions.DeepClone();
        }

        AddServerInfo(result, initializeResult);
        AddCaching(result);
        return result;
    }

    /// <summary>
    /// Makes a server's <c>server/discover</c> <paramref name="result"/> the function's: the versions are those the function
    /// serves (legacy ones through the handshake it does with the server, the same list its <c>UnsupportedProtocolVersion</c>
    /// errors give), and <c>listChanged</c> and <c>subscribe</c> are taken out of the capabilities, as the function offers
    /// no <c>subscriptions/listen</c> to carry them.
    /// </summary>
    internal static void AsFunctions(JsonObject result)
    {
        result["supportedVersions"] = new JsonArray([.. McpProtocolVersions.NewestFirst.Select(v => (JsonNode)JsonValue.Create(v))]);
        foreach (var (_, capability) in result["capabilities"] as JsonObject ?? [])
        {
            if (capability is JsonObject settings)
            {
                settings.Remove("listChanged");
                settings.Remove("subscribe");
            }
        }
    }

    private static void AddServerInfo(JsonObject result, JsonNode initializeResult)
    {
        if (initializeResult["serverInfo"] is { } serverInfo)
        {
            var meta = result["_meta"] as JsonObject ?? [];
            meta[McpMetaKeys.ServerInfo] = serverInfo.DeepClone();
            result["_meta"] = meta;
        }
    }

    private void AddCaching(JsonObject result)
    {
        result["ttlMs"] ??= _options.CacheTtlMs;
        result["cacheScope"] ??= _options.CacheScope;
    }

    /// <summary>
    /// The params the legacy server gets (without the retry's fields and the modern <c>_meta</c> keys it would not
    /// understand), and the retry's fields, if any.
    /// </summary>
    private static (JsonObject? Own, JsonObject? Retry) Split(JsonObject? parameters)
    {
        if (parameters is null)
        {
            return (null, null);
        }

        var own = parameters.DeepClone().AsObject();
        JsonObject? retry = null;
        foreach (var field in ModernRequest.RetryFields)
        {
            if (own.Remove(field, out var value))
            {
                (retry ??= [])[field] = value;
            }
        }

        if (own["_meta"] is JsonObject meta)
        {
            foreach (var key in meta.Select(m => m.Key).Where(k => k.StartsWith("io.modelcontextprotocol/", StringComparison.Ordinal)).ToList())
            {
                meta.Remove(key);
            }

            if (meta.Count == 0)
            {
                own.Remove("_meta");
            }
        }

        return (own, retry);
    }

    private static JsonObject WithoutMeta(JsonObject? own)
    {
        var copy = own?.DeepClone().AsObject() ?? [];
        copy.Remove("_meta");
        return copy;
    }

    private sealed record Paused(ModernCall Call, Task<JsonRpcMessage> Answer, Timer Expiry);
}
