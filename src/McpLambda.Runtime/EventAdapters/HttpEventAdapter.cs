using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using McpLambda.Runtime.Events;
using McpLambda.Runtime.Http;
using McpLambda.Runtime.RuntimeApi;
using McpLambda.Runtime.Invocations;

namespace McpLambda.Runtime.EventAdapters;

/// <summary>
/// An event adapter whose events describe HTTP requests: decodes the event into an <see cref="BufferedHttpRequest"/>,
/// applies the Streamable HTTP rules, and encodes the answer as the event source's response.
/// </summary>
/// <typeparam name="TRequest">The event model.</typeparam>
/// <typeparam name="TResponse">The response model.</typeparam>
internal abstract class HttpEventAdapter<TRequest, TResponse> : LambdaEventAdapter
    where TRequest : class
{
    private protected abstract JsonTypeInfo<TRequest> RequestInfo { get; }

    private protected abstract JsonTypeInfo<TResponse> ResponseInfo { get; }

    /// <inheritdoc/>
    internal override async ValueTask<byte[]> HandleAsync(LambdaInvocation invocation, McpHandlers handlers, InvocationContext context)
    {
        var (request, malformed) = Decode(invocation, handlers);
        if (malformed is not null)
        {
            return Serialize(ToEventResponse(malformed));
        }

        var buffer = new BufferingResponseWriter(EventBody.SizeOf);
        await handlers.Http.HandleAsync(request!, buffer, context).ConfigureAwait(false);
        return Serialize(ToEventResponse(buffer.Response));
    }

    /// <inheritdoc/>
    internal override bool CanStream(LambdaInvocation invocation) => StreamPrelude is not null;

    /// <inheritdoc/>
    internal override async Task StreamAsync(LambdaInvocation invocation, McpHandlers handlers, RuntimeApiResponseStream response, InvocationContext context)
    {
        var writer = new HttpIntegrationResponseWriter(response, StreamPrelude ?? throw new NotSupportedException($"{DisplayName} responses cannot be streamed."));
        var (request, malformed) = Decode(invocation, handlers);
        if (malformed is not null)
        {
            await writer.SendAsync(malformed, context.Cancellation).ConfigureAwait(false);
            return;
        }

        await handlers.Http.HandleAsync(request!, writer, context).ConfigureAwait(false);
    }

    /// <summary>
    /// The JSON prelude of a streamed response (status and headers in the front door's own terms), for a front door that
    /// can take one (function URLs, API Gateway REST); null for one that cannot.
    /// </summary>
    private protected virtual Func<int, HttpHeaderCollection, byte[]>? StreamPrelude => null;

    /// <summary>The event's HTTP request, or the answer to an event that describes none.</summary>
    private (BufferedHttpRequest? Request, BufferedHttpResponse? Malformed) Decode(LambdaInvocation invocation, McpHandlers handlers)
    {
        try
        {
            var model = JsonSerializer.Deserialize(invocation.Event.Span, RequestInfo)
                ?? throw new EventFormatException("the event is null");
            return (ToHttpRequest(model, invocation) with { DomainName = DomainName(model) }, null);
        }
        catch (Exception ex) when (ex is JsonException or EventFormatException or FormatException)
        {
            return (null, handlers.Http.RejectMalformedEvent($"Malformed {DisplayName} event: {ex.Message}"));
        }
    }

    /// <inheritdoc/>
    internal override byte[] CreateLocalEvent(BufferedHttpRequest request, out string? clientContext)
    {
        clientContext = null;
        return JsonSerializer.SerializeToUtf8Bytes(ToEvent(request), RequestInfo);
    }

    /// <inheritdoc/>
    internal override BufferedHttpResponse ReadLocalResponse(ReadOnlySpan<byte> payload)
        => FromEventResponse(JsonSerializer.Deserialize(payload, ResponseInfo) ?? throw new EventFormatException("the response is null"));

    private protected abstract BufferedHttpRequest ToHttpRequest(TRequest model, LambdaInvocation invocation);

    /// <summary>The host name the front door received the request on (<c>requestContext.domainName</c>), or null.</summary>
    private protected abstract string? DomainName(TRequest model);

    private protected abstract TResponse ToEventResponse(BufferedHttpResponse response);

    private protected abstract TRequest ToEvent(BufferedHttpRequest request);

    private protected abstract BufferedHttpResponse FromEventResponse(TResponse response);

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
    private protected static EventBody? EncodeBody(ReadOnlyMemory<byte> body) => body.IsEmpty ? null : new EventBody(body);

    /// <summary>A response event's body as bytes.</summary>
    private protected static ReadOnlyMemory<byte> DecodeBody(EventBody? body, bool isBase64)
        => body is not { } text ? ReadOnlyMemory<byte>.Empty
            : isBase64 ? DecodeBody(Encoding.UTF8.GetString(text.Utf8.Span), isBase64: true)
            : text.Utf8;

    private byte[] Serialize(TResponse response) => JsonSerializer.SerializeToUtf8Bytes(response, ResponseInfo);
}
