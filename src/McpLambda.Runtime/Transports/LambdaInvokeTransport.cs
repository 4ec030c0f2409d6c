using System.Text.Json;
using McpLambda.Runtime.Hosting;
using McpLambda.Runtime.Http;
using McpLambda.Runtime.Json;
using ModelContextProtocol.Protocol;

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
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(invocation.Event);
        }
        catch (JsonException ex)
        {
            return JsonRpcMessages.ToUtf8(JsonRpcMessages.Error(default, JsonRpcErrorCodes.ParseError, "Parse error: " + ex.Message));
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Array)
            {
                var answer = await HandleOneAsync(root, pipeline, cancellationToken).ConfigureAwait(false);
                return answer is null ? EmptyObject : ResponseSizeLimit.Serialize(answer, embedded: false);
            }

            if (root.GetArrayLength() == 0)
            {
                return JsonRpcMessages.ToUtf8(JsonRpcMessages.Error(default, JsonRpcErrorCodes.InvalidRequest, "Invalid Request: the batch is empty."));
            }

            var answers = new List<JsonRpcMessage>();
            foreach (var element in root.EnumerateArray())
            {
                if (await HandleOneAsync(element, pipeline, cancellationToken).ConfigureAwait(false) is { } answer)
                {
                    answers.Add(answer);
                }
            }

            return answers.Count == 0 ? EmptyObject : ResponseSizeLimit.Serialize(answers, embedded: false);
        }
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

    private static ValueTask<JsonRpcMessage?> HandleOneAsync(JsonElement element, FunctionPipeline pipeline, CancellationToken cancellationToken)
    {
        var message = JsonRpcMessages.TryRead(element, out var problem);
        return message is null
            ? ValueTask.FromResult<JsonRpcMessage?>(JsonRpcMessages.Error(JsonRpcMessages.ReadId(element), JsonRpcErrorCodes.InvalidRequest, "Invalid Request: " + problem))
            : pipeline.Messages.HandleAsync(message, cancellationToken);
    }
}
