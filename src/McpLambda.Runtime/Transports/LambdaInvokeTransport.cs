using McpLambda.Runtime.Bridge;
using McpLambda.Runtime.Hosting;
using McpLambda.Runtime.Http;
using McpLambda.Runtime.Json;
using McpLambda.Runtime.JsonRpc;

namespace McpLambda.Runtime.Transports;

/// <summary>
/// Direct Lambda Invoke: the event is one JSON-RPC message (or a batch) and the response is the
/// JSON-RPC answer; a notification gets an empty object. Malformed messages get a JSON-RPC error that
/// carries the request's id where it can be read.
/// </summary>
public sealed class LambdaInvokeTransport : LambdaEventTransport
{
    private static readonly byte[] EmptyObject = "{}"u8.ToArray();

    private LambdaInvokeTransport()
    {
    }

    /// <summary>The shared instance.</summary>
    public static LambdaInvokeTransport Instance { get; } = new();

    /// <inheritdoc/>
    public override string DisplayName => "Lambda Invoke";

    /// <inheritdoc/>
    public override bool Accepts(LambdaInvocation invocation, EventShape shape) => shape.HasJsonRpc || shape.IsArray;

    /// <inheritdoc/>
    public override async ValueTask<byte[]> HandleAsync(LambdaInvocation invocation, FunctionPipeline pipeline, CancellationToken cancellationToken)
    {
        // Invoke carries no MCP-Protocol-Version: the default revision, which has batches, applies.
        var body = JsonRpcBody.Read(invocation.Event, McpProtocolVersions.Default);
        if (body.Rejection is { } rejection)
        {
            return JsonRpcMessages.ToUtf8(rejection);
        }

        var answers = await pipeline.Dispatcher.DispatchAsync(body, cancellationToken).ConfigureAwait(false);
        return answers.IsEmpty ? EmptyObject : pipeline.Dispatcher.Serialize(answers, embedded: false);
    }

    /// <inheritdoc/>
    public override byte[] CreateLocalEvent(McpHttpRequest request, out string? clientContext)
    {
        clientContext = null;
        return request.Body.ToArray();
    }

    /// <inheritdoc/>
    public override McpHttpResponse ReadLocalResponse(ReadOnlySpan<byte> payload)
    {
        var headers = new HttpHeaderCollection();
        if (payload.SequenceEqual(EmptyObject))
        {
            return new McpHttpResponse(202, headers, ReadOnlyMemory<byte>.Empty);
        }

        headers.Set("Content-Type", MediaTypes.Json);
        return new McpHttpResponse(200, headers, payload.ToArray());
    }
}
