using McpLambda.Runtime.Http;

namespace McpLambda.Runtime.Local;

/// <summary>
/// One request on a <see cref="LoopbackHttpServer"/> and its response. A request whose chunked body the server was told
/// to leave unread has an empty <see cref="BufferedHttpRequest.Body"/>: the handler reads it as it arrives
/// (<see cref="ReadChunkAsync"/>), then its <see cref="Trailers"/>.
/// </summary>
internal sealed class LoopbackExchange(BufferedHttpRequest request, HttpMessageReader reader, bool bodyLeftUnread, LoopbackResponseWriter response)
{
    private bool _bodyDone = !bodyLeftUnread;

    public BufferedHttpRequest Request { get; } = request;

    /// <summary>Whether the body is read chunk by chunk with <see cref="ReadChunkAsync"/>.</summary>
    public bool IsBodyStreamed { get; } = bodyLeftUnread;

    /// <summary>The trailers of a streamed body, once it has been read to its end.</summary>
    public HttpHeaderCollection Trailers { get; } = new();

    public LoopbackResponseWriter Response { get; } = response;

    /// <summary>Whether the streamed body has been read to its end (the connection can take another request).</summary>
    internal bool IsBodyDone => _bodyDone;

    /// <summary>The next chunk of a streamed body as it arrives, or null after the last.</summary>
    /// <exception cref="HttpMessageFormatException">The peer sent a malformed chunk or went away.</exception>
    public async Task<byte[]?> ReadChunkAsync(CancellationToken cancellationToken)
    {
        if (_bodyDone)
        {
            return null;
        }

        var chunk = await reader.ReadChunkAsync(Trailers, cancellationToken).ConfigureAwait(false);
        _bodyDone = chunk is null;
        return chunk;
    }
}
