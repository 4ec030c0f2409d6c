using System.Text;
using McpLambda.Runtime.Http;

namespace McpLambda.Runtime.RuntimeApi;

/// <summary>
/// A streamed invocation response: <c>POST /runtime/invocation/{id}/response</c> with
/// <c>Lambda-Runtime-Function-Response-Mode: streaming</c> and a chunked body, each write sent as it is made. An error
/// after the first byte goes in the trailers <c>Lambda-Runtime-Function-Error-Type</c> and
/// <c>Lambda-Runtime-Function-Error-Body</c> (base64), declared in a <c>Trailer</c> header. HttpClient cannot send
/// request trailers; this is HTTP/1.1 written by hand, as all the runtime's requests are, over a connection of its own. The connection opens at the first write:
/// an invocation that fails before writing anything posts an ordinary error instead.
/// </summary>
internal sealed class RuntimeApiResponseStream(string hostAndPort, string requestId, string contentType) : IAsyncDisposable
{
    /// <summary>The content type of a streamed HTTP integration response: a JSON prelude, 8 NUL bytes, then the body.</summary>
    public const string HttpIntegrationContentType = "application/vnd.awslambda.http-integration-response";

    private const string ErrorTypeTrailer = "Lambda-Runtime-Function-Error-Type";
    private const string ErrorBodyTrailer = "Lambda-Runtime-Function-Error-Body";
    private RuntimeApiConnection? _connection;
    private bool _ended;

    /// <summary>Whether bytes have been sent, after which an error can only go in the trailers.</summary>
    public bool Started => _connection is not null;

    /// <summary>Sends <paramref name="bytes"/> as one chunk.</summary>
    public async ValueTask WriteAsync(ReadOnlyMemory<byte> bytes, CancellationToken cancellationToken)
    {
        if (bytes.IsEmpty)
        {
            return;
        }

        var connection = _connection ?? await OpenAsync(cancellationToken).ConfigureAwait(false);
        await connection.Stream.WriteAsync(ChunkedEncoding.Frame(bytes.Span), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Ends the response and waits for the Runtime API to accept it.</summary>
    /// <exception cref="HttpRequestException">The Runtime API refused it.</exception>
    public Task CompleteAsync(CancellationToken cancellationToken) => EndAsync(ChunkedEncoding.LastChunk, cancellationToken);

    /// <summary>Ends the response with an error in the trailers.</summary>
    public Task FailAsync(string errorType, string message, CancellationToken cancellationToken)
    {
        var body = Convert.ToBase64String(LambdaErrorDocument.Create(errorType, message));
        return EndAsync(Encoding.ASCII.GetBytes($"0\r\n{ErrorTypeTrailer}: {RuntimeApiClient.ErrorTypeValue(errorType)}\r\n{ErrorBodyTrailer}: {body}\r\n\r\n"), cancellationToken);
    }

    /// <inheritdoc/>
    public ValueTask DisposeAsync()
    {
        // A response left open (cancelled mid-way) is cut off: the connection closes without its last chunk.
        _connection?.Dispose();
        return ValueTask.CompletedTask;
    }

    private async Task EndAsync(ReadOnlyMemory<byte> last, CancellationToken cancellationToken)
    {
        if (_ended)
        {
            return;
        }

        _ended = true;
        var connection = _connection ?? await OpenAsync(cancellationToken).ConfigureAwait(false);
        await connection.Stream.WriteAsync(last, cancellationToken).ConfigureAwait(false);
        var answer = await connection.ReadAnswerAsync(cancellationToken).ConfigureAwait(false)
            ?? throw new HttpRequestException("The Runtime API closed the connection before answering the streamed response.");
        if (answer.StatusCode is < 200 or > 299)
        {
            throw new HttpRequestException($"The Runtime API answered the streamed response of {requestId} with {answer.StatusCode}.");
        }
    }

    private async Task<RuntimeApiConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var connection = await RuntimeApiConnection.OpenAsync(hostAndPort, cancellationToken).ConfigureAwait(false);
        var head = $"POST /2018-06-01/runtime/invocation/{Uri.EscapeDataString(requestId)}/response HTTP/1.1\r\n"
            + $"Host: {hostAndPort}\r\n"
            + "Lambda-Runtime-Function-Response-Mode: streaming\r\n"
            + "Transfer-Encoding: chunked\r\n"
            + $"Content-Type: {contentType}\r\n"
            + $"Trailer: {ErrorTypeTrailer}, {ErrorBodyTrailer}\r\n\r\n";
        try
        {
            await connection.Stream.WriteAsync(Encoding.ASCII.GetBytes(head), cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            connection.Dispose();
            throw;
        }

        _connection = connection;
        return connection;
    }
}
