using System.Globalization;
using System.Net.Sockets;
using McpLambda.Runtime.Http;
using McpLambda.Runtime.Protocol;

namespace McpLambda.Runtime.RuntimeApi;

/// <summary>
/// One HTTP/1.1 connection to the Runtime API, kept alive across exchanges. The Runtime API is a fixed local peer
/// that speaks plain HTTP/1.1, so the runtime writes its few requests by hand and reads the answers with the same
/// reader local mode uses: every invocation makes two exchanges, and HttpClient's general machinery (URI parsing,
/// header validation, handler pipeline, version negotiation) cost more CPU per invocation than the rest of the adapter
/// between them.
/// </summary>
internal sealed class RuntimeApiConnection : IDisposable
{
    /// <summary>The largest answer taken: an invocation event is at most Lambda's payload limit, with room for headers.</summary>
    private const int MaxAnswerBytes = 2 * LambdaLimits.PayloadBytes;

    private readonly Socket _socket;
    private readonly HttpMessageReader _reader;

    private RuntimeApiConnection(Socket socket)
    {
        _socket = socket;
        Stream = new NetworkStream(socket, ownsSocket: true);
        _reader = new HttpMessageReader(Stream, MaxAnswerBytes, Timeout.InfiniteTimeSpan);
    }

    /// <summary>The connection's bytes, for a request written piece by piece (a streamed response).</summary>
    public NetworkStream Stream { get; }

    /// <summary>Connects to <paramref name="address"/>, the value of <c>AWS_LAMBDA_RUNTIME_API</c> (<c>host:port</c>).</summary>
    /// <exception cref="HttpRequestException">The connection failed; its inner exception says how (refused, unreachable).</exception>
    public static async Task<RuntimeApiConnection> OpenAsync(string address, CancellationToken cancellationToken)
    {
        var colon = address.LastIndexOf(':');
        var host = colon > 0 ? address[..colon] : address;
        var port = colon > 0 ? int.Parse(address[(colon + 1)..], CultureInfo.InvariantCulture) : 80;
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(host.Trim('[', ']'), port, cancellationToken).ConfigureAwait(false);
            return new RuntimeApiConnection(socket);
        }
        catch (SocketException ex)
        {
            socket.Dispose();
            throw new HttpRequestException($"Could not connect to the Runtime API at {address}: {ex.Message}", ex);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>Sends a request (its head, then its body when there is one) and reads the answer.</summary>
    /// <returns>The answer, or null when the peer closed the connection before answering (a kept-alive connection gone stale).</returns>
    public async Task<BufferedHttpResponse?> ExchangeAsync(ReadOnlyMemory<byte> head, ReadOnlyMemory<byte> body, CancellationToken cancellationToken)
    {
        try
        {
            await HttpMessageWrites.WriteAsync(Stream, head, body, cancellationToken).ConfigureAwait(false);
            return await ReadAnswerAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (IOException)
        {
            // The peer reset or closed the connection while the request went out: no answer came.
            return null;
        }
    }

    /// <summary>The answer to a request already written on <see cref="Stream"/>, or null when the peer closed the connection first.</summary>
    /// <exception cref="HttpRequestException">The answer is not HTTP or is cut off.</exception>
    public async Task<BufferedHttpResponse?> ReadAnswerAsync(CancellationToken cancellationToken)
    {
        try
        {
            return await _reader.ReadResponseAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (HttpMessageFormatException ex)
        {
            throw new HttpRequestException($"The Runtime API's answer cannot be read: {ex.Message}", ex);
        }
    }

    /// <summary>Whether the connection may carry another exchange after <paramref name="answer"/>.</summary>
    public static bool KeepsAlive(BufferedHttpResponse answer)
        => !string.Equals(answer.Headers["Connection"], "close", StringComparison.OrdinalIgnoreCase);

    /// <inheritdoc/>
    public void Dispose()
    {
        Stream.Dispose();
        _socket.Dispose();
    }
}
