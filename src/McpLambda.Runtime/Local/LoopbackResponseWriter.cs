using System.Globalization;
using System.Text;
using McpLambda.Runtime.Http;

namespace McpLambda.Runtime.Local;

/// <summary>
/// The response on one loopback connection: sent whole with <c>Content-Length</c>, or started and sent chunk by chunk
/// (<c>Transfer-Encoding: chunked</c>), each chunk reaching the peer as it is written.
/// </summary>
internal sealed class LoopbackResponseWriter(Stream stream, bool keepAlive) : IHttpResponseWriter
{
    /// <summary>Whether a response has been sent or started.</summary>
    public bool HasStarted { get; private set; }

    /// <summary>Whether a chunked response was started and not yet ended.</summary>
    public bool IsOpen { get; private set; }

    /// <inheritdoc/>
    public bool IsLive => true;

    /// <inheritdoc/>
    public BodySize SizeOf => BodySizes.AsIs;

    /// <inheritdoc/>
    public async ValueTask SendAsync(BufferedHttpResponse response, CancellationToken cancellationToken)
    {
        HasStarted = true;
        if (!HasValidHeaders(response.Headers))
        {
            // Written as it is, a CR or LF in a value would end the header early and let the rest forge headers or a body.
            response = Text(500, "The handler's response has a header name or value that is not allowed (CR, LF or an empty name).");
        }

        var head = Head(response.StatusCode, response.Headers, "Content-Length: " + response.Body.Length.ToString(CultureInfo.InvariantCulture));
        await HttpMessageWrites.WriteAsync(stream, head, response.Body, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public async ValueTask StartAsync(int statusCode, HttpHeaderCollection headers, CancellationToken cancellationToken)
    {
        if (!HasValidHeaders(headers))
        {
            await SendAsync(Text(500, "The handler's response has a header that is not allowed."), cancellationToken).ConfigureAwait(false);
            throw new InvalidOperationException("The response headers hold CR, LF or an empty name.");
        }

        HasStarted = true;
        IsOpen = true;
        await stream.WriteAsync(Head(statusCode, headers, "Transfer-Encoding: chunked"), cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public async ValueTask WriteAsync(ReadOnlyMemory<byte> chunk, CancellationToken cancellationToken)
    {
        if (chunk.IsEmpty)
        {
            return;
        }

        await stream.WriteAsync(ChunkedEncoding.Frame(chunk.Span), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Ends a chunked response.</summary>
    public async ValueTask EndAsync(CancellationToken cancellationToken)
    {
        IsOpen = false;
        await stream.WriteAsync(ChunkedEncoding.LastChunk, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>A plain-text response.</summary>
    public static BufferedHttpResponse Text(int status, string message)
    {
        var headers = new HttpHeaderCollection();
        headers.Set("Content-Type", "text/plain; charset=utf-8");
        return new BufferedHttpResponse(status, headers, Encoding.UTF8.GetBytes(message));
    }

    private byte[] Head(int statusCode, HttpHeaderCollection headers, string framing)
    {
        var head = new StringBuilder(256);
        head.Append("HTTP/1.1 ").Append(statusCode).Append(' ').Append(ReasonPhrase(statusCode)).Append("\r\n");
        foreach (var (name, values) in headers)
        {
            if (name.Equals("Content-Length", StringComparison.OrdinalIgnoreCase) || name.Equals("Connection", StringComparison.OrdinalIgnoreCase)
                || name.Equals("Transfer-Encoding", StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            foreach (var value in values)
            {
                head.Append(name).Append(": ").Append(value).Append("\r\n");
            }
        }

        head.Append(framing).Append("\r\n");
        head.Append(keepAlive ? "Connection: keep-alive\r\n\r\n" : "Connection: close\r\n\r\n");
        return Encoding.ASCII.GetBytes(head.ToString());
    }

    private static bool HasValidHeaders(HttpHeaderCollection headers)
    {
        foreach (var (name, values) in headers)
        {
            if (name.Length == 0 || name.AsSpan().IndexOfAny(":\r\n \t") >= 0)
            {
                return false;
            }

            foreach (var value in values)
            {
                if (value.AsSpan().IndexOfAny('\r', '\n') >= 0)
                {
                    return false;
                }
            }
        }

        return true;
    }

    private static string ReasonPhrase(int status) => status switch
    {
        200 => "OK",
        202 => "Accepted",
        204 => "No Content",
        400 => "Bad Request",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        406 => "Not Acceptable",
        408 => "Request Timeout",
        413 => "Payload Too Large",
        415 => "Unsupported Media Type",
        431 => "Request Header Fields Too Large",
        500 => "Internal Server Error",
        502 => "Bad Gateway",
        503 => "Service Unavailable",
        _ => "Status",
    };
}
