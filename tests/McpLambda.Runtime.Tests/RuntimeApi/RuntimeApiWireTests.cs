using System.Net;
using System.Net.Sockets;
using System.Text;
using McpLambda.Runtime.RuntimeApi;

namespace McpLambda.Runtime.Tests.RuntimeApi;

/// <summary>
/// The runtime's own HTTP/1.1 client of the Runtime API against a raw TCP peer that answers in ways the emulation does
/// not: chunked bodies, connections closed between exchanges, answers that are not HTTP.
/// </summary>
public sealed class RuntimeApiWireTests
{
    private static readonly TimeSpan TestTimeout = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task A_chunked_next_answer_is_read_whole_and_a_connection_closed_after_it_is_replaced()
    {
        // Each connection gets one answer and is then closed without "Connection: close": the client finds out on reuse.
        await using var peer = RawPeer.Start(async (reader, writer, n) =>
        {
            var head = await ReadHeadAsync(reader);
            if (head.StartsWith("GET /2018-06-01/runtime/invocation/next ", StringComparison.Ordinal))
            {
                await writer.WriteAsync($"HTTP/1.1 200 OK\r\nLambda-Runtime-Aws-Request-Id: req-{n}\r\nLambda-Runtime-Deadline-Ms: 4102444800000\r\n"
                    + "lambda-runtime-trace-id: Root=1-abc\r\nTransfer-Encoding: chunked\r\n\r\n5\r\n{\"a\":\r\n3\r\n 1}\r\n0\r\n\r\n");
            }
        });
        using var client = new RuntimeApiClient(peer.Address);
        using var timeout = new CancellationTokenSource(TestTimeout);

        var first = await client.NextAsync(timeout.Token);
        var second = await client.NextAsync(timeout.Token);

        Assert.Equal("req-1", first.RequestId);
        Assert.Equal("{\"a\": 1}", Encoding.UTF8.GetString(first.Event.Span));
        Assert.Equal("Root=1-abc", first.TraceId);
        Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(4102444800000), first.Deadline);
        Assert.Equal("req-2", second.RequestId);
        Assert.Equal(2, peer.Connections);
    }

    [Fact]
    public async Task A_kept_alive_connection_carries_next_and_the_response_with_its_body_and_length()
    {
        string? post = null;
        await using var peer = RawPeer.Start(async (reader, writer, _) =>
        {
            await ReadHeadAsync(reader);
            await writer.WriteAsync("HTTP/1.1 200 OK\r\nLambda-Runtime-Aws-Request-Id: r/1\r\nContent-Length: 2\r\n\r\n{}");
            post = await ReadHeadAsync(reader);
            var length = int.Parse(post.Split("\r\n").Single(l => l.StartsWith("Content-Length:", StringComparison.OrdinalIgnoreCase))[15..]);
            var body = new char[length];
            await reader.ReadBlockAsync(body);
            post += "\r\n\r\n" + new string(body);
            await writer.WriteAsync("HTTP/1.1 202 Accepted\r\nContent-Length: 16\r\n\r\n{\"status\":\"OK\"}\n");
        });
        using var client = new RuntimeApiClient(peer.Address);
        using var timeout = new CancellationTokenSource(TestTimeout);

        var invocation = await client.NextAsync(timeout.Token);
        await client.PostResponseAsync(invocation.RequestId, Encoding.UTF8.GetBytes("{\"ok\":true}"), timeout.Token);

        Assert.Equal(1, peer.Connections);
        Assert.StartsWith("POST /2018-06-01/runtime/invocation/r%2F1/response HTTP/1.1\r\n", post);
        Assert.Contains("Content-Type: application/json\r\n", post);
        Assert.EndsWith("\r\n\r\n{\"ok\":true}", post);
    }

    [Fact]
    public async Task An_answer_that_is_not_http_is_a_clear_error()
    {
        await using var peer = RawPeer.Start(async (reader, writer, _) =>
        {
            await ReadHeadAsync(reader);
            await writer.WriteAsync("SSH-2.0-OpenSSH_9.2\r\n\r\n");
        });
        using var client = new RuntimeApiClient(peer.Address);

        var error = await Assert.ThrowsAsync<HttpRequestException>(() => client.NextAsync(CancellationToken.None));

        Assert.Contains("The Runtime API's answer cannot be read: Malformed status line", error.Message);
    }

    [Fact]
    public async Task Nothing_listening_is_a_refused_connection_the_loop_can_recognise()
    {
        int port;
        using (var listener = new TcpListener(IPAddress.Loopback, 0))
        {
            listener.Start();
            port = ((IPEndPoint)listener.LocalEndpoint).Port;
        }

        using var client = new RuntimeApiClient($"127.0.0.1:{port}");

        var error = await Assert.ThrowsAsync<HttpRequestException>(() => client.NextAsync(CancellationToken.None));

        Assert.Equal(SocketError.ConnectionRefused, Assert.IsType<SocketException>(error.InnerException).SocketErrorCode);
    }

    private static async Task<string> ReadHeadAsync(StreamReader reader)
    {
        var head = new StringBuilder();
        string? line;
        while (!string.IsNullOrEmpty(line = await reader.ReadLineAsync()))
        {
            head.Append(line).Append("\r\n");
        }

        return head.ToString();
    }

    /// <summary>A TCP peer that runs <c>serve</c> once per accepted connection (numbered from 1), then closes it.</summary>
    private sealed class RawPeer : IAsyncDisposable
    {
        private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
        private readonly Task _accepting;
        private int _connections;

        private RawPeer(Func<StreamReader, StreamWriter, int, Task> serve)
        {
            _listener.Start();
            _accepting = Task.Run(async () =>
            {
                while (true)
                {
                    using var socket = await _listener.AcceptSocketAsync();
                    var n = Interlocked.Increment(ref _connections);
                    await using var stream = new NetworkStream(socket);
                    using var reader = new StreamReader(stream, Encoding.ASCII);
                    await using var writer = new StreamWriter(stream, Encoding.ASCII) { AutoFlush = true };
                    await serve(reader, writer, n);
                }
            });
        }

        public string Address => $"127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}";

        public int Connections => _connections;

        public static RawPeer Start(Func<StreamReader, StreamWriter, int, Task> serve) => new(serve);

        public async ValueTask DisposeAsync()
        {
            _listener.Stop();
            await Task.WhenAny(_accepting, Task.Delay(1000));
        }
    }
}
