using System.Text;
using McpLambda.Runtime.Http;
using McpLambda.Runtime.RuntimeApi;

namespace McpLambda.Runtime.Tests.Http;

/// <summary>
/// The lines of a chunked body are capped as the headers are: a chunk-size line, and the trailers together, so a peer
/// cannot make the reader buffer one line without end. Past a cap the reader fails with its format error, naming the
/// limit; the largest error a function puts in the trailers (a Lambda error document, base64) still fits.
/// </summary>
public sealed class HttpMessageReaderLimitsTests
{
    private const string ChunkedHead = "POST /2018-06-01/runtime/invocation/1/response HTTP/1.1\r\nHost: 127.0.0.1\r\nTransfer-Encoding: chunked\r\n\r\n";

    [Fact]
    public async Task A_chunk_size_line_over_its_cap_is_a_400_that_says_so()
    {
        // Leading zeros keep the size valid (1): only the line's length is wrong.
        var refused = await Assert.ThrowsAsync<HttpMessageFormatException>(() => ReadAsync(ChunkedHead + new string('0', 100_000) + "1\r\nx\r\n0\r\n\r\n"));

        Assert.Equal(400, refused.Status);
        Assert.Contains("chunk-size line is over 4096 bytes", refused.Message);
    }

    [Fact]
    public async Task A_chunk_size_line_at_its_cap_reads()
    {
        var (body, _) = await ReadAsync(ChunkedHead + new string('0', 4095) + "1\r\nx\r\n0\r\n\r\n");

        Assert.Equal("x", body);
    }

    [Theory]
    [InlineData(1, 300_000)]
    [InlineData(1_000, 300)]
    public async Task Trailers_over_their_cap_are_a_431_that_says_so(int lines, int valueLength)
    {
        var trailers = string.Concat(Enumerable.Range(0, lines).Select(i => $"X-Trailer-{i}: {new string('v', valueLength)}\r\n"));

        var refused = await Assert.ThrowsAsync<HttpMessageFormatException>(() => ReadAsync(ChunkedHead + "1\r\nx\r\n0\r\n" + trailers + "\r\n"));

        Assert.Equal(431, refused.Status);
        Assert.Contains("trailers are over 262144 bytes", refused.Message);
    }

    [Fact]
    public async Task The_largest_lambda_error_trailer_reads()
    {
        // Every character escaped by the JSON writer (\uXXXX), the message as long as the runtime posts one.
        var message = new string('\u00e9', LambdaErrorDocument.MaxMessageLength);
        var errorBody = Convert.ToBase64String(LambdaErrorDocument.Create("Runtime.StreamInterrupted", message));

        var (body, trailers) = await ReadAsync(ChunkedHead + "1\r\nx\r\n0\r\nLambda-Runtime-Function-Error-Type: Runtime.StreamInterrupted\r\n"
            + $"Lambda-Runtime-Function-Error-Body: {errorBody}\r\n\r\n");

        Assert.Equal("x", body);
        Assert.Equal(errorBody, trailers["Lambda-Runtime-Function-Error-Body"]);
    }

    /// <summary>Reads one request whose chunked body is read chunk by chunk, as the Runtime API emulation reads a streamed response.</summary>
    private static async Task<(string Body, HttpHeaderCollection Trailers)> ReadAsync(string message)
    {
        var reader = new HttpMessageReader(new MemoryStream(Encoding.ASCII.GetBytes(message)), maxBodyBytes: 1024 * 1024, Timeout.InfiniteTimeSpan);
        Assert.NotNull(await reader.ReadRequestAsync(CancellationToken.None, _ => true));
        var body = new StringBuilder();
        var trailers = new HttpHeaderCollection();
        while (await reader.ReadChunkAsync(trailers, CancellationToken.None) is { } chunk)
        {
            body.Append(Encoding.ASCII.GetString(chunk));
        }

        return (body.ToString(), trailers);
    }
}
