namespace McpLambda.Runtime.Http;

/// <summary>Keeps an answer whole in memory: what a buffered Lambda response carries.</summary>
/// <param name="sizeOf">The bytes a body takes in the response that carries the answer (see <see cref="BodySize"/>).</param>
internal sealed class BufferingResponseWriter(BodySize sizeOf) : IHttpResponseWriter
{
    private BufferedHttpResponse? _whole;
    private int _statusCode;
    private HttpHeaderCollection? _headers;
    private MemoryStream? _body;

    /// <inheritdoc/>
    public bool IsLive => false;

    /// <inheritdoc/>
    public BodySize SizeOf { get; } = sizeOf;

    /// <summary>The answer written.</summary>
    /// <exception cref="InvalidOperationException">Nothing was written.</exception>
    public BufferedHttpResponse Response
        => _whole ?? (_headers is { } headers ? new BufferedHttpResponse(_statusCode, headers, _body!.ToArray()) : throw new InvalidOperationException("No response was written."));

    /// <inheritdoc/>
    public ValueTask SendAsync(BufferedHttpResponse response, CancellationToken cancellationToken)
    {
        _whole = response;
        return ValueTask.CompletedTask;
    }

    /// <inheritdoc/>
    public ValueTask StartAsync(int statusCode, HttpHeaderCollection headers, CancellationToken cancellationToken)
    {
        (_statusCode, _headers, _body) = (statusCode, headers, new MemoryStream());
        return ValueTask.CompletedTask;
    }

    /// <inheritdoc/>
    public ValueTask WriteAsync(ReadOnlyMemory<byte> chunk, CancellationToken cancellationToken)
    {
        _body!.Write(chunk.Span);
        return ValueTask.CompletedTask;
    }
}
