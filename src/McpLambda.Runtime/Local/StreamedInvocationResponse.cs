using System.Threading.Channels;
using McpLambda.Runtime.RuntimeApi;

namespace McpLambda.Runtime.Local;

/// <summary>
/// A response the function streams to the Runtime API emulation: its bytes as they arrive, then how it ended (an error
/// reported in the trailers, or none).
/// </summary>
internal sealed class StreamedInvocationResponse(string? contentType)
{
    private static readonly byte[] PreludeDelimiter = new byte[8];
    private readonly Channel<byte[]> _chunks = Channel.CreateUnbounded<byte[]>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
    private readonly TaskCompletionSource<StreamedResponseEnd> _end = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>The response's content type, as the function declared it.</summary>
    public string? ContentType { get; } = contentType;

    /// <summary>Whether it is an HTTP integration response (a JSON prelude, 8 NUL bytes, then the body).</summary>
    public bool IsHttpIntegration => string.Equals(ContentType, RuntimeApiResponseStream.HttpIntegrationContentType, StringComparison.OrdinalIgnoreCase);

    /// <summary>The chunks, as the function sent them.</summary>
    public ChannelReader<byte[]> Chunks => _chunks.Reader;

    /// <summary>Completes when the function has ended the response.</summary>
    public Task<StreamedResponseEnd> End => _end.Task;

    internal void Write(byte[] chunk) => _chunks.Writer.TryWrite(chunk);

    internal void Complete(StreamedResponseEnd end)
    {
        _chunks.Writer.TryComplete();
        _end.TrySetResult(end);
    }

    /// <summary>
    /// Reads an HTTP integration response up to its delimiter: the prelude's JSON, and the body bytes that came in the
    /// same chunks after it. Null when the stream ended before the delimiter.
    /// </summary>
    public async Task<(byte[] Prelude, byte[] BodyStart)?> ReadPreludeAsync(CancellationToken cancellationToken)
    {
        // JSON text holds no NUL byte, so the first eight in a row are the delimiter.
        using var head = new MemoryStream();
        while (await _chunks.Reader.WaitToReadAsync(cancellationToken).ConfigureAwait(false))
        {
            while (_chunks.Reader.TryRead(out var chunk))
            {
                head.Write(chunk);
                var bytes = head.GetBuffer().AsSpan(0, (int)head.Length);
                var at = bytes.IndexOf(PreludeDelimiter);
                if (at >= 0)
                {
                    return (bytes[..at].ToArray(), bytes[(at + PreludeDelimiter.Length)..].ToArray());
                }
            }
        }

        return null;
    }
}

/// <summary>How a streamed response ended.</summary>
/// <param name="ErrorType">The error type from the <c>Lambda-Runtime-Function-Error-Type</c> trailer; null for success.</param>
/// <param name="ErrorBody">The error document from the <c>Lambda-Runtime-Function-Error-Body</c> trailer (base64 undone).</param>
/// <param name="Bytes">How many body bytes the function sent.</param>
internal sealed record StreamedResponseEnd(string? ErrorType, string? ErrorBody, long Bytes);
