using McpLambda.Runtime.Http;
using McpLambda.Runtime.JsonRpc;
using McpLambda.Runtime.RuntimeApi;
using McpLambda.Runtime.Protocol;
using McpLambda.Runtime.Invocations;

namespace McpLambda.Runtime.EventAdapters;

/// <summary>
/// Direct Lambda Invoke: the event is one JSON-RPC message (or a batch) and the response is the
/// JSON-RPC answer; a notification gets an empty object. Malformed messages get a JSON-RPC error that
/// carries the request's id where it can be read.
/// </summary>
internal sealed class LambdaInvokeEventAdapter : LambdaEventAdapter
{
    private static readonly byte[] EmptyObject = "{}"u8.ToArray();

    private LambdaInvokeEventAdapter()
    {
    }

    /// <summary>The shared instance.</summary>
    public static LambdaInvokeEventAdapter Instance { get; } = new();

    /// <inheritdoc/>
    public override string DisplayName => "Lambda Invoke";

    /// <inheritdoc/>
    internal override bool Accepts(LambdaInvocation invocation, EventShape shape) => shape.HasJsonRpc || shape.IsArray;

    /// <inheritdoc/>
    internal override async ValueTask<byte[]> HandleAsync(LambdaInvocation invocation, McpHandlers handlers, InvocationContext context)
    {
        // Invoke carries no MCP-Protocol-Version: the default revision, which has batches, applies.
        var body = handlers.Dispatcher.Read(invocation.Event, McpProtocolVersions.Default);
        if (body.Rejection is { } rejection)
        {
            return JsonRpcMessages.ToUtf8(rejection);
        }

        var answers = await handlers.Dispatcher.DispatchAsync(body, null, context).ConfigureAwait(false);
        return answers.IsEmpty ? EmptyObject : handlers.Dispatcher.Serialize(answers, BodySizes.AsIs);
    }

    /// <inheritdoc/>
    internal override bool LocalRequestsNeedJsonContent => true;

    /// <inheritdoc/>
    internal override byte[] CreateLocalEvent(BufferedHttpRequest request, out string? clientContext)
    {
        clientContext = null;
        return request.Body.ToArray();
    }

    /// <inheritdoc/>
    internal override BufferedHttpResponse ReadLocalResponse(ReadOnlySpan<byte> payload)
    {
        var headers = new HttpHeaderCollection();
        if (payload.SequenceEqual(EmptyObject))
        {
            return new BufferedHttpResponse(202, headers, ReadOnlyMemory<byte>.Empty);
        }

        headers.Set("Content-Type", MediaTypes.Json);
        return new BufferedHttpResponse(200, headers, payload.ToArray());
    }
}
