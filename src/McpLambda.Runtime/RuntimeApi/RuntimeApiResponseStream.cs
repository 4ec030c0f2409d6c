using System.Globalization;
using System.Net.Sockets;
using System.Text;
using McpLambda.Runtime.Http;

namespace McpLambda.Runtime.RuntimeApi;

/// <summary>
/// A streamed invocation response: <c>POST /runtime/invocation/{id}/response</c> with
/// <c>Lambda-Runtime-Function-Response-Mode: streaming</c> and a chunked body, each write sent as it is made. An error
/// after the first byte goes in the trailers <c>Lambda-Runtime-Function-Error-Type</c> and
/// <c>Lambda-Runtime-Function-Error-Body</c> (base64), declared in a <c>Trailer</c> header. HttpClient cannot send
/// request trailers, so this is HTTP/1.1 written by hand over one connection. The connection opens at the first write:
/// an invocation that fails before writing anything posts an ordinary error instead.
/// </summary>
internal sealed class RuntimeApiResponseStream(string hostAndPort, string requestId, string contentType) : IAsyncDisposable
{
    /// <summary>The content type of a streamed HTTP integration response: a JSON prelude, 8 NUL bytes, then the body.</summary>
    public const string HttpIntegrationContentType = "application/vnd.awslambda.http-integration-response";

    private const string ErrorTypeTrailer = "Lambda-Runtime-Function-Error-Type";
    private const string ErrorBodyTrailer = "Lambda-Runtime-Function-Error-Body";
    private Socket? _socket;
    private NetworkStream? _stream;
    private bool _ended;

    /// <summary>Whether bytes have been sent, after which an error can only go in the trailers.</summary>
    public bool Started => _stream is not null;

    /// <summary>Sends <paramref name="bytes"/> as one chunk.</summary>
    public async ValueTask WriteAsync(ReadOnlyMemory<byte> bytes, CancellationToken cancellationToken)
    {
        if (bytes.IsEmpty)
        {
            return;
        }

        var stream = _stream ?? await OpenAsync(cancellationToken).ConfigureAwait(false);
        await stream.WriteAsync(ChunkedEncoding.Frame(bytes.Span), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Ends the response and waits for the Runtime API to accept it.</summary>
    /// <exception cref="HttpRequestException">The Runtime API refused it.</exception>
    public Task CompleteAsync(CancellationToken cancellationToken) => EndAsync("0\r\n\r\n", cancellationToken);

    /// <summary>Ends the response with an error in the trailers.</summary>
    public Task FailAsync(string errorType, string message, CancellationToken cancellationToken)
    {
        var body = Convert.ToBase64String(LambdaErrorDocument.Create(errorType, message));
        var type = new string([.. errorType.Where(c => c >= ' ' && c < 127)]);
        return EndAsync($"0\r\n{ErrorTypeTrailer}: {type}\r\n{ErrorBodyTrailer}: {body}\r\n\r\n", cancellationToken);
    }

    /// <inheritdoc/>
    public ValueTask DisposeAsync()
    {
        // A response left open (cancelled mid-way) is cut off: the connection closes without its last chunk.
        _stream?.Dispose();
        _socket?.Dispose();
        return ValueTask.CompletedTask;
    }

    private async Task EndAsync(string last, CancellationToken cancellationToken)
    {
        if (_ended)
        {
            return;
        }

        _ended = true;
        var stream = _stream ?? await OpenAsync(cancellationToken).ConfigureAwait(false);
        await stream.WriteAsync(Encoding.ASCII.GetBytes(last), cancellationToken).ConfigureAwait(false);
        var status = await ReadStatusAsync(stream, cancellationToken).ConfigureAwait(false);
        if (status is < 200 or > 299)
        {
            throw new HttpRequestException($"The Runtime API answered the streamed response of {requestId} with {status}.");
        }
    }

    private async Task<NetworkStream> OpenAsync(CancellationToken cancellationToken)
    {
        var colon = hostAndPort.LastIndexOf(':');
        var host = colon > 0 ? hostAndPort[..colon] : hostAndPort;
        var port = colon > 0 ? int.Parse(hostAndPort[(colon + 1)..], CultureInfo.InvariantCulture) : 80;
        _socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        await _socket.ConnectAsync(host, port, cancellationToken).ConfigureAwait(false);
        var stream = new NetworkStream(_socket, ownsSocket: false);
        var head = $"POST /2018-06-01/runtime/invocation/{Uri.EscapeDataString(requestId)}/response HTTP/1.1\r\n"
            + $"Host: {hostAndPort}\r\n"
            + "Lambda-Runtime-Function-Response-Mode: streaming\r\n"
            + "Transfer-Encoding: chunked\r\n"
            + $"Content-Type: {contentType}\r\n"
            + $"Trailer: {ErrorTypeTrailer}, {ErrorBodyTrailer}\r\n\r\n";
        await stream.WriteAsync(Encoding.ASCII.GetBytes(head), cancellationToken).ConfigureAwait(false);
        _stream = stream;
        return stream;
    }

    /// <summary>The status code of the Runtime API's answer (its body is not needed).</summary>
    private static async Task<int> ReadStatusAsync(NetworkStream stream, CancellationToken cancellationToken)
    {
        var buffer = new byte[4096];
        var read = 0;
        while (read < buffer.Length && buffer.AsSpan(0, read).IndexOf("\r\n"u8) < 0)
        {
            var n = await stream.ReadAsync(buffer.AsMemory(read), cancellationToken).ConfigureAwait(false);
            if (n == 0)
            {
                throw new HttpRequestException("The Runtime API closed the connection before answering the streamed response.");
            }

            read += n;
        }

        var line = Encoding.ASCII.GetString(buffer, 0, read).Split("\r\n")[0].Split(' ');
        return line.Length >= 2 && int.TryParse(line[1], NumberStyles.None, CultureInfo.InvariantCulture, out var status)
            ? status
            : throw new HttpRequestException("The Runtime API's answer to the streamed response is not HTTP.");
    }
}
