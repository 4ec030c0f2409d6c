namespace McpLambda.Runtime.Http;

/// <summary>How an HTTP message with a known body goes onto a connection, for both sides of the runtime's HTTP.</summary>
internal static class HttpMessageWrites
{
    /// <summary>Up to this size a body is sent in the same write as its head.</summary>
    private const int SingleWriteBytes = 64 * 1024;

    /// <summary>
    /// Writes <paramref name="head"/> then <paramref name="body"/>: a small body in the same write as the head, so the
    /// message is one segment on the wire and one wake-up of the peer; a large one after it, rather than copied.
    /// </summary>
    public static async ValueTask WriteAsync(Stream stream, ReadOnlyMemory<byte> head, ReadOnlyMemory<byte> body, CancellationToken cancellationToken)
    {
        if (body.IsEmpty || body.Length > SingleWriteBytes)
        {
            await stream.WriteAsync(head, cancellationToken).ConfigureAwait(false);
            if (!body.IsEmpty)
            {
                await stream.WriteAsync(body, cancellationToken).ConfigureAwait(false);
            }

            return;
        }

        await stream.WriteAsync((byte[])[.. head.Span, .. body.Span], cancellationToken).ConfigureAwait(false);
    }
}
