using System.Net.Sockets;
using System.Text;
using McpLambda.Runtime.Http;
using McpLambda.Runtime.Local;

namespace McpLambda.Runtime.Tests.Local;

/// <summary>
/// The loopback server's bounds, over raw sockets: memory grows with the bytes that arrive, idle peers are cut off,
/// connections are counted, and a header value that would split the response is refused.
/// </summary>
/// <remarks>Alone in its collection: one test measures the process's allocations.</remarks>
[Collection(nameof(LoopbackHttpServerLimitsTests))]
public sealed class LoopbackHttpServerLimitsTests
{
    [Fact]
    public async Task A_large_content_length_is_not_allocated_before_its_bytes_arrive()
    {
        await using var server = Start(new LoopbackHttpServerLimits());
        using var client = await ConnectAsync(server);
        var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);

        await client.GetStream().WriteAsync(Encoding.ASCII.GetBytes("POST /mcp HTTP/1.1\r\nContent-Length: 60000000\r\n\r\n0123456789"));
        await Task.Delay(500);

        var allocated = GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;
        Assert.True(allocated < 20_000_000, $"the server allocated {allocated} bytes for a body of which 10 bytes arrived");
    }

    [Fact]
    public async Task A_request_that_stalls_midway_gets_408_after_the_idle_timeout()
    {
        await using var server = Start(new LoopbackHttpServerLimits { IdleTimeout = TimeSpan.FromMilliseconds(300) });
        using var client = await ConnectAsync(server);

        await client.GetStream().WriteAsync(Encoding.ASCII.GetBytes("POST /mcp HTTP/1.1\r\nContent-Length: 10\r\n\r\nabc"));

        var answer = await ReadToEndAsync(client);
        Assert.StartsWith("HTTP/1.1 408 Request Timeout\r\n", answer);
        Assert.Contains("Connection: close", answer);
    }

    [Fact]
    public async Task An_idle_kept_alive_connection_is_closed_after_the_idle_timeout()
    {
        await using var server = Start(new LoopbackHttpServerLimits { IdleTimeout = TimeSpan.FromMilliseconds(300) });
        using var client = await ConnectAsync(server);

        Assert.Equal("", await ReadToEndAsync(client));
    }

    [Fact]
    public async Task A_connection_over_the_limit_gets_503_and_the_others_are_served()
    {
        await using var server = Start(new LoopbackHttpServerLimits { MaxConnections = 2 });
        using var first = await ConnectAsync(server);
        using var second = await ConnectAsync(server);
        await Task.Delay(200);

        using var third = await ConnectAsync(server);
        var refused = await ReadToEndAsync(third);

        Assert.StartsWith("HTTP/1.1 503 Service Unavailable\r\n", refused);
        await first.GetStream().WriteAsync(Encoding.ASCII.GetBytes("GET /ok HTTP/1.1\r\nConnection: close\r\n\r\n"));
        Assert.StartsWith("HTTP/1.1 200 OK\r\n", await ReadToEndAsync(first));
    }

    [Theory]
    [InlineData("a\r\nSet-Cookie: injected=1")]
    [InlineData("a\nSet-Cookie: injected=1")]
    [InlineData("a\rb")]
    public async Task A_header_value_with_CR_or_LF_becomes_a_500_instead_of_a_split_response(string value)
    {
        await using var server = LoopbackHttpServer.Start(0, _ =>
        {
            var headers = new HttpHeaderCollection();
            headers.Set("X-From-Handler", value);
            return Task.FromResult(new BufferedHttpResponse(200, headers, Encoding.ASCII.GetBytes("body")));
        });
        using var client = await ConnectAsync(server);

        await client.GetStream().WriteAsync(Encoding.ASCII.GetBytes("GET / HTTP/1.1\r\nConnection: close\r\n\r\n"));

        var answer = await ReadToEndAsync(client);
        Assert.StartsWith("HTTP/1.1 500 Internal Server Error\r\n", answer);
        Assert.DoesNotContain("injected", answer);
        Assert.DoesNotContain("X-From-Handler", answer);
    }

    private static LoopbackHttpServer Start(LoopbackHttpServerLimits limits)
        => LoopbackHttpServer.Start(0, _ => Task.FromResult(new BufferedHttpResponse(200, new HttpHeaderCollection(), Encoding.ASCII.GetBytes("ok"))), limits);

    private static async Task<TcpClient> ConnectAsync(LoopbackHttpServer server)
    {
        var client = new TcpClient();
        await client.ConnectAsync("127.0.0.1", server.Port);
        return client;
    }

    private static async Task<string> ReadToEndAsync(TcpClient client)
    {
        using var reader = new StreamReader(client.GetStream(), Encoding.ASCII, leaveOpen: true);
        return await reader.ReadToEndAsync().WaitAsync(TimeSpan.FromSeconds(10));
    }
}

/// <summary>Runs <see cref="LoopbackHttpServerLimitsTests"/> with no other test at the same time.</summary>
[CollectionDefinition(nameof(LoopbackHttpServerLimitsTests), DisableParallelization = true)]
public sealed class LoopbackHttpServerLimitsTestsCollection;
