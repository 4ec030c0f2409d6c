using McpLambda.Runtime.Http;
using McpLambda.Runtime.RuntimeApi;

namespace McpLambda.Runtime.EventAdapters;

/// <summary>
/// An HTTP answer written as a streamed HTTP integration response
/// (<c>application/vnd.awslambda.http-integration-response</c>): the front door's JSON prelude with status and headers,
/// eight NUL bytes, then the body as it is produced.
/// </summary>
internal sealed class HttpIntegrationResponseWriter(RuntimeApiResponseStream response, Func<int, HttpHeaderCollection, byte[]> prelude) : IHttpResponseWriter
{
    private const int DelimiterLength = 8;

    /// <inheritdoc/>
    public bool IsLive => true;

    /// <inheritdoc/>
    public BodySize SizeOf => BodySizes.AsIs;

    /// <inheritdoc/>
    public async ValueTask SendAsync(BufferedHttpResponse whole, CancellationToken cancellationToken)
    {
        // One chunk for the small answers that make up most traffic.
        var head = prelude(whole.StatusCode, whole.Headers);
        var bytes = new byte[head.Length + DelimiterLength + whole.Body.Length];
        head.CopyTo(bytes, 0);
        whole.Body.Span.CopyTo(bytes.AsSpan(head.Length + DelimiterLength));
        await response.WriteAsync(bytes, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public async ValueTask StartAsync(int statusCode, HttpHeaderCollection headers, CancellationToken cancellationToken)
    {
        var head = prelude(statusCode, headers);
        var bytes = new byte[head.Length + DelimiterLength];
        head.CopyTo(bytes, 0);
        await response.WriteAsync(bytes, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public ValueTask WriteAsync(ReadOnlyMemory<byte> chunk, CancellationToken cancellationToken) => response.WriteAsync(chunk, cancellationToken);
}
