using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using McpLambda.Runtime.Hosting;
using McpLambda.Runtime.Http;

namespace McpLambda.Runtime.Transports;

/// <summary>
/// A transport whose events describe HTTP requests: decodes the event into an <see cref="McpHttpRequest"/>,
/// applies the Streamable HTTP rules, and encodes the answer as the event source's response.
/// </summary>
/// <typeparam name="TRequest">The event model.</typeparam>
/// <typeparam name="TResponse">The response model.</typeparam>
public abstract class HttpEventTransport<TRequest, TResponse> : LambdaEventTransport
    where TRequest : class
{
    private protected abstract JsonTypeInfo<TRequest> RequestInfo { get; }

    private protected abstract JsonTypeInfo<TResponse> ResponseInfo { get; }

    /// <inheritdoc/>
    public override async ValueTask<byte[]> HandleAsync(LambdaInvocation invocation, FunctionPipeline pipeline, CancellationToken cancellationToken)
    {
        McpHttpRequest request;
        try
        {
            var model = JsonSerializer.Deserialize(invocation.Event.Span, RequestInfo)
                ?? throw new EventFormatException("the event is null");
            request = ToHttpRequest(model, invocation);
        }
        catch (Exception ex) when (ex is JsonException or EventFormatException or FormatException)
        {
            return Serialize(ToEventResponse(pipeline.Http.RejectMalformedEvent($"Malformed {DisplayName} event: {ex.Message}")));
        }

        var response = await pipeline.Http.HandleAsync(request, cancellationToken).ConfigureAwait(false);
        return Serialize(ToEventResponse(response));
    }

    /// <inheritdoc/>
    public override byte[] CreateLocalEvent(McpHttpRequest request, out string? clientContext)
    {
        clientContext = null;
        return JsonSerializer.SerializeToUtf8Bytes(ToEvent(request), RequestInfo);
    }

    /// <inheritdoc/>
    public override McpHttpResponse ReadLocalResponse(ReadOnlySpan<byte> payload)
        => FromEventResponse(JsonSerializer.Deserialize(payload, ResponseInfo) ?? throw new EventFormatException("the response is null"));

    private protected abstract McpHttpRequest ToHttpRequest(TRequest model, LambdaInvocation invocation);

    private protected abstract TResponse ToEventResponse(McpHttpResponse response);

    private protected abstract TRequest ToEvent(McpHttpRequest request);

    private protected abstract McpHttpResponse FromEventResponse(TResponse response);

    private protected static ReadOnlyMemory<byte> DecodeBody(string? body, bool isBase64)
    {
        if (string.IsNullOrEmpty(body))
        {
            return ReadOnlyMemory<byte>.Empty;
        }

        if (!isBase64)
        {
            return Encoding.UTF8.GetBytes(body);
        }

        try
        {
            return Convert.FromBase64String(body);
        }
        catch (FormatException)
        {
            throw new EventFormatException("isBase64Encoded is true but the body is not valid base64");
        }
    }

    /// <summary>JSON and SSE bodies are text: send them as text so logs and tools can read them.</summary>
    private protected static string? EncodeBody(ReadOnlyMemory<byte> body) => body.IsEmpty ? null : Encoding.UTF8.GetString(body.Span);

    private byte[] Serialize(TResponse response) => JsonSerializer.SerializeToUtf8Bytes(response, ResponseInfo);
}

/// <summary>An event that does not have the shape its transport expects.</summary>
public sealed class EventFormatException(string message) : InvocationErrorException("Runtime.UnrecognizedEvent", message);
