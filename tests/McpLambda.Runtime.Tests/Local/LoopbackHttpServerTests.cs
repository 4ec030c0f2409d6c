using System.Net.Sockets;
using System.Text;
using McpLambda.Runtime.Http;
using McpLambda.Runtime.Local;

namespace McpLambda.Runtime.Tests.Local;

/// <summary>The small HTTP/1.1 server under local mode and the Runtime API emulation, spoken to in raw bytes.</summary>
public sealed class LoopbackHttpServerTests : IAsyncLifetime
{
    private LoopbackHttpServer _server = null!;

    public Task InitializeAsync()
    {
        // Echoes what it understood, so each test can see the parse.
        _server = LoopbackHttpServer.Start(0, request =>
        {
            var headers = new HttpHeaderCollection();
            headers.Set("X-Method", request.Method);
            headers.Set("X-Path", request.Path);
            headers.Set("X-Header-Count", request.Headers.Count.ToString(System.Globalization.CultureInfo.InvariantCulture));
            return Task.FromResult(new BufferedHttpResponse(200, headers, request.Body));
        });
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task Content_length_bodies_on_one_kept_alive_connection()
    {
        var answer = await ExchangeAsync(
            "POST /mcp?x=1 HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\n\r\nhello" +
            "POST /second HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\nConnection: close\r\n\r\nbye");

        Assert.Contains("X-Path: /mcp\r\n", answer);
        Assert.Contains("Content-Length: 5\r\nConnection: keep-alive\r\n\r\nhello", answer);
        Assert.Contains("X-Path: /second\r\n", answer);
        Assert.EndsWith("Connection: close\r\n\r\nbye", answer);
    }

    [Fact]
    public async Task Chunked_bodies_with_extensions_and_trailers_are_joined()
    {
        var answer = await ExchangeAsync(
            "POST /mcp HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n" +
            "4;ext=1\r\n{\"a\"\r\n3\r\n:1}\r\n0\r\nX-Trailer: t\r\n\r\n");

        Assert.StartsWith("HTTP/1.1 200 OK\r\n", answer);
        Assert.EndsWith("\r\n\r\n{\"a\":1}", answer);
    }

    [Fact]
    public async Task Expect_100_continue_is_answered_before_the_body()
    {
        var answer = await ExchangeAsync("POST /mcp HTTP/1.1\r\nExpect: 100-continue\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok");

        Assert.StartsWith("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\n", answer);
    }

    [Theory]
    [InlineData("NOT-HTTP\r\n\r\n", "400 Bad Request")]
    [InlineData("POST /mcp HTTP/1.1\r\nno colon here\r\n\r\n", "400 Bad Request")]
    [InlineData("POST /mcp HTTP/1.1\r\nContent-Length: many\r\n\r\n", "400 Bad Request")]
    [InlineData("POST /mcp HTTP/1.1\r\nContent-Length: 999999999\r\n\r\n", "413 Payload Too Large")]
    [InlineData("POST /mcp HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n", "400 Bad Request")]
    public async Task Malformed_requests_get_a_status_and_a_closed_connection(string request, string status)
    {
        var answer = await ExchangeAsync(request);

        Assert.StartsWith("HTTP/1.1 " + status + "\r\n", answer);
        Assert.Contains("Connection: close", answer);
    }

    [Fact]
    public async Task Oversized_headers_get_431()
    {
        var answer = await ExchangeAsync("GET / HTTP/1.1\r\nX-Big: " + new string('a', 70 * 1024) + "\r\n\r\n");

        Assert.StartsWith("HTTP/1.1 431 ", answer);
    }

    [Fact]
    public async Task A_peer_that_closes_mid_request_does_not_stop_the_server()
    {
        using (var broken = new TcpClient())
        {
            await broken.ConnectAsync("127.0.0.1", _server.Port);
            await broken.GetStream().WriteAsync(Encoding.ASCII.GetBytes("POST /mcp HTTP/1.1\r\nContent-Length: 10\r\n\r\nabc"));
        }

        var answer = await ExchangeAsync("GET /still-here HTTP/1.1\r\nConnection: close\r\n\r\n");
        Assert.Contains("X-Path: /still-here", answer);
    }

    [Fact]
    public async Task Disposing_twice_is_harmless()
    {
        var server = LoopbackHttpServer.Start(0, _ => Task.FromResult(new BufferedHttpResponse(204, new HttpHeaderCollection(), ReadOnlyMemory<byte>.Empty)));

        await server.DisposeAsync();
        await server.DisposeAsync();
    }

    private async Task<string> ExchangeAsync(string request)
    {
        using var client = new TcpClient();
        await client.ConnectAsync("127.0.0.1", _server.Port);
        var stream = client.GetStream();
        await stream.WriteAsync(Encoding.ASCII.GetBytes(request));
        client.Client.Shutdown(SocketShutdown.Send);
        using var reader = new StreamReader(stream, Encoding.ASCII);
        return await reader.ReadToEndAsync().WaitAsync(TimeSpan.FromSeconds(10));
    }
}
