using System.Globalization;
using System.Text;

namespace McpLambda.Runtime.Http;

/// <summary>
/// Reads HTTP/1.1 messages one after another from a connection, buffering what arrives early: the requests a server
/// takes (local mode, the Runtime API emulation) or the responses a client gets (the runtime's Runtime API client).
/// Memory follows the bytes that arrive, not what the peer announces, and a peer that sends nothing for
/// <c>idleTimeout</c> (infinite for none) is cut off.
/// </summary>
internal sealed class HttpMessageReader(Stream stream, int maxBodyBytes, TimeSpan idleTimeout)
{
    private const int MaxHeaderBytes = 64 * 1024;
    private const int FirstBodyBufferBytes = 64 * 1024;

    /// <summary>The longest chunk-size line: the size in hex and any extensions (which no peer of this project sends).</summary>
    private const int MaxChunkLineBytes = 4 * 1024;

    /// <summary>
    /// The most bytes of trailer lines after a chunked body: room for a Lambda error body trailer, whose message of at most
    /// 16 Ki characters, JSON-escaped and base64-encoded, stays under 132 KB.
    /// </summary>
    private const int MaxTrailerBytes = 256 * 1024;

    private static readonly string ChunkLineTooLong = $"A chunk-size line is over {MaxChunkLineBytes} bytes.";
    private static readonly string TrailersTooLarge = $"The trailers are over {MaxTrailerBytes} bytes.";
    private byte[] _buffer = new byte[16 * 1024];
    private int _start;
    private int _end;

    /// <summary>The next request, or null when the peer closed the connection between requests.</summary>
    /// <param name="cancellationToken">Stops reading.</param>
    /// <param name="leaveChunkedBody">
    /// Whether a chunked body of this request is left unread, to be read chunk by chunk as it arrives
    /// (<see cref="ReadChunkAsync"/>); the request then has an empty body.
    /// </param>
    /// <exception cref="HttpMessageFormatException">The request is malformed or too large.</exception>
    public async Task<BufferedHttpRequest?> ReadRequestAsync(CancellationToken cancellationToken, Func<HttpHeaderCollection, bool>? leaveChunkedBody = null)
    {
        if (await ReadHeadAsync(cancellationToken).ConfigureAwait(false) is not var (startLine, headers))
        {
            return null;
        }

        var requestLine = startLine.Split(' ');
        if (requestLine.Length != 3 || !requestLine[2].StartsWith("HTTP/1.", StringComparison.Ordinal))
        {
            throw new HttpMessageFormatException(400, "Malformed request line.");
        }

        if (string.Equals(headers["Expect"], "100-continue", StringComparison.OrdinalIgnoreCase))
        {
            await stream.WriteAsync("HTTP/1.1 100 Continue\r\n\r\n"u8.ToArray(), cancellationToken).ConfigureAwait(false);
        }

        var chunked = IsChunked(headers);
        var body = chunked && leaveChunkedBody?.Invoke(headers) == true ? [] : await ReadBodyAsync(headers, chunked, cancellationToken).ConfigureAwait(false);
        var target = requestLine[1];
        var query = target.IndexOf('?');
        return new BufferedHttpRequest(requestLine[0].ToUpperInvariant(), query < 0 ? target : target[..query], headers, body)
        {
            Query = query < 0 ? "" : target[(query + 1)..],
        };
    }

    /// <summary>The next response with its whole body, or null when the peer closed the connection before its first byte.</summary>
    /// <exception cref="HttpMessageFormatException">The response is malformed, too large, or cut off.</exception>
    public async Task<BufferedHttpResponse?> ReadResponseAsync(CancellationToken cancellationToken)
    {
        if (await ReadHeadAsync(cancellationToken).ConfigureAwait(false) is not var (startLine, headers))
        {
            return null;
        }

        var statusLine = startLine.Split(' ', 3);
        if (statusLine.Length < 2 || !statusLine[0].StartsWith("HTTP/1.", StringComparison.Ordinal)
            || !int.TryParse(statusLine[1], NumberStyles.None, CultureInfo.InvariantCulture, out var status))
        {
            throw new HttpMessageFormatException(502, "Malformed status line.");
        }

        return new BufferedHttpResponse(status, headers, await ReadBodyAsync(headers, IsChunked(headers), cancellationToken).ConfigureAwait(false));
    }

    /// <summary>The start line and headers of the next message, or null when the peer closed the connection between messages.</summary>
    private async Task<(string StartLine, HttpHeaderCollection Headers)?> ReadHeadAsync(CancellationToken cancellationToken)
    {
        int headerEnd;
        while ((headerEnd = _buffer.AsSpan(_start, _end - _start).IndexOf("\r\n\r\n"u8)) < 0)
        {
            if (_end - _start >= MaxHeaderBytes)
            {
                throw new HttpMessageFormatException(431, "The headers are too large.");
            }

            // Before a message's first byte, a quiet peer is an idle kept-alive connection: closed without an answer.
            if (!await FillAsync(idleEndsConnection: _end == _start, cancellationToken).ConfigureAwait(false))
            {
                return _end == _start ? null : throw new HttpMessageFormatException(400, "The connection closed mid-message.");
            }
        }

        var head = Encoding.ASCII.GetString(_buffer, _start, headerEnd);
        _start += headerEnd + 4;
        var lines = head.Split("\r\n");
        var headers = new HttpHeaderCollection();
        foreach (var line in lines.AsSpan(1))
        {
            var colon = line.IndexOf(':');
            if (colon <= 0)
            {
                throw new HttpMessageFormatException(400, "Malformed header line.");
            }

            headers.Add(line[..colon].Trim(), line[(colon + 1)..].Trim());
        }

        return (lines[0], headers);
    }

    private static bool IsChunked(HttpHeaderCollection headers)
        => headers["Transfer-Encoding"]?.Contains("chunked", StringComparison.OrdinalIgnoreCase) == true;

    private Task<byte[]> ReadBodyAsync(HttpHeaderCollection headers, bool chunked, CancellationToken cancellationToken)
        => chunked ? ReadChunkedAsync(cancellationToken) : ReadExactlyAsync(ContentLength(headers), cancellationToken);

    private int ContentLength(HttpHeaderCollection headers)
    {
        var text = headers["Content-Length"];
        if (text is null)
        {
            return 0;
        }

        if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var length))
        {
            throw new HttpMessageFormatException(400, "Invalid Content-Length.");
        }

        return length <= maxBodyBytes ? length : throw new HttpMessageFormatException(413, $"The body is over {maxBodyBytes} bytes.");
    }

    private async Task<byte[]> ReadChunkedAsync(CancellationToken cancellationToken)
    {
        using var body = new MemoryStream();
        while (await ReadChunkAsync(null, cancellationToken).ConfigureAwait(false) is { } chunk)
        {
            if (body.Length + chunk.Length > maxBodyBytes)
            {
                throw new HttpMessageFormatException(413, $"The body is over {maxBodyBytes} bytes.");
            }

            body.Write(chunk);
        }

        return body.ToArray();
    }

    /// <summary>The next chunk of a chunked body, or null after the last one, whose trailers go into <paramref name="trailers"/>.</summary>
    /// <exception cref="HttpMessageFormatException">The chunk is malformed or over the body limit.</exception>
    public async Task<byte[]?> ReadChunkAsync(HttpHeaderCollection? trailers, CancellationToken cancellationToken)
    {
        var sizeLine = await ReadLineAsync(MaxChunkLineBytes, 400, ChunkLineTooLong, cancellationToken).ConfigureAwait(false);
        var extension = sizeLine.IndexOf(';');
        if (!int.TryParse(extension < 0 ? sizeLine : sizeLine[..extension], NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var size) || size < 0)
        {
            throw new HttpMessageFormatException(400, "Invalid chunk size.");
        }

        if (size == 0)
        {
            // Trailers, if any, end with an empty line.
            var budget = MaxTrailerBytes;
            string line;
            while ((line = await ReadLineAsync(budget, 431, TrailersTooLarge, cancellationToken).ConfigureAwait(false)).Length > 0)
            {
                budget -= line.Length;
                var colon = line.IndexOf(':');
                if (colon > 0)
                {
                    trailers?.Add(line[..colon].Trim(), line[(colon + 1)..].Trim());
                }
            }

            return null;
        }

        if (size > maxBodyBytes)
        {
            throw new HttpMessageFormatException(413, $"The body is over {maxBodyBytes} bytes.");
        }

        var chunk = await ReadExactlyAsync(size, cancellationToken).ConfigureAwait(false);
        // The line end must follow the chunk's bytes at once.
        await ReadLineAsync(0, 400, "A chunk does not end where its size says.", cancellationToken).ConfigureAwait(false);

        return chunk;
    }

    /// <summary>The next line, without its CRLF; one longer than <paramref name="maxBytes"/> is refused rather than waited for.</summary>
    /// <exception cref="HttpMessageFormatException"><paramref name="status"/> with <paramref name="tooLong"/> for a longer line; 400 when the connection closes first.</exception>
    private async Task<string> ReadLineAsync(int maxBytes, int status, string tooLong, CancellationToken cancellationToken)
    {
        int end;
        while ((end = _buffer.AsSpan(_start, _end - _start).IndexOf("\r\n"u8)) < 0)
        {
            // None of the bytes buffered ends the line (the last may be its CR): it is longer than they are.
            if (_end - _start > maxBytes + 1)
            {
                throw new HttpMessageFormatException(status, tooLong);
            }

            if (!await FillAsync(idleEndsConnection: false, cancellationToken).ConfigureAwait(false))
            {
                throw new HttpMessageFormatException(400, "The connection closed mid-message.");
            }
        }

        if (end > maxBytes)
        {
            throw new HttpMessageFormatException(status, tooLong);
        }

        var line = Encoding.ASCII.GetString(_buffer, _start, end);
        _start += end + 2;
        return line;
    }

    /// <summary>Reads <paramref name="count"/> bytes, growing the buffer as they arrive rather than trusting the announced length.</summary>
    private async Task<byte[]> ReadExactlyAsync(int count, CancellationToken cancellationToken)
    {
        var buffered = Math.Min(count, _end - _start);
        var result = new byte[Math.Min(count, Math.Max(buffered, FirstBodyBufferBytes))];
        _buffer.AsSpan(_start, buffered).CopyTo(result);
        _start += buffered;
        var filled = buffered;
        while (filled < count)
        {
            if (filled == result.Length)
            {
                Array.Resize(ref result, (int)Math.Min(count, result.Length * 2L));
            }

            var read = await ReadAsync(result.AsMemory(filled), idleEndsConnection: false, cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                throw new HttpMessageFormatException(400, "The connection closed mid-body.");
            }

            filled += read;
        }

        return result;
    }

    /// <summary>Reads more bytes into the buffer, compacting or growing it first.</summary>
    /// <returns>False at the end of the stream, or when an idle connection that may end did.</returns>
    private async Task<bool> FillAsync(bool idleEndsConnection, CancellationToken cancellationToken)
    {
        if (_start > 0)
        {
            _buffer.AsSpan(_start, _end - _start).CopyTo(_buffer);
            _end -= _start;
            _start = 0;
        }

        if (_end == _buffer.Length)
        {
            Array.Resize(ref _buffer, _buffer.Length * 2);
        }

        var read = await ReadAsync(_buffer.AsMemory(_end), idleEndsConnection, cancellationToken).ConfigureAwait(false);
        _end += read;
        return read > 0;
    }

    /// <summary>One read from the peer, which must send something within the idle timeout.</summary>
    /// <exception cref="HttpMessageFormatException">408: the peer went quiet mid-message.</exception>
    private async ValueTask<int> ReadAsync(Memory<byte> into, bool idleEndsConnection, CancellationToken cancellationToken)
    {
        if (idleTimeout == Timeout.InfiniteTimeSpan)
        {
            return await stream.ReadAsync(into, cancellationToken).ConfigureAwait(false);
        }

        using var idle = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        idle.CancelAfter(idleTimeout);
        try
        {
            return await stream.ReadAsync(into, idle.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return idleEndsConnection ? 0 : throw new HttpMessageFormatException(408, $"No bytes arrived for {idleTimeout.TotalSeconds:0.###} s.");
        }
    }
}

/// <summary>A message that cannot be read: a request is answered with <see cref="Status"/>, and the connection closed.</summary>
internal sealed class HttpMessageFormatException(int status, string message) : Exception(message)
{
    public int Status { get; } = status;
}
