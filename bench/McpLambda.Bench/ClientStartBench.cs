using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using ModelContextProtocol.Client;

namespace McpLambda.Bench;

/// <summary>Fresh clients of one protocol revision: from creating the client to its first tool result, and the HTTP exchanges that took.</summary>
/// <param name="Stats">Milliseconds per fresh client.</param>
/// <param name="Exchanges">The HTTP exchanges each client made up to and including its first <c>tools/call</c>.</param>
internal sealed record ClientStarts(Stats Stats, int Exchanges);

/// <summary>
/// What a new MCP client pays before its first tool result, by protocol revision: the MCP C# SDK client 2.4.0 as it
/// comes (MCP 2026-07-28: <c>server/discover</c>, then the call) and pinned to 2025-11-25 (the <c>initialize</c>
/// handshake before the call), each a fresh client and connection against the AOT bootstrap in local mode, where every
/// HTTP exchange is one invocation of the function. The two alternate, so drift of the machine hits both alike.
/// </summary>
internal static class ClientStartBench
{
    public static async Task<(ClientStarts Modern, ClientStarts Legacy)> RunAsync(string functionDirectory, int warmup, int count)
    {
        var port = FreePort();
        var environment = new Dictionary<string, string?>
        {
            ["AWS_LAMBDA_RUNTIME_API"] = null,
            ["AWS_LAMBDA_MAX_CONCURRENCY"] = null,
            ["LAMBDA_TASK_ROOT"] = null,
        };
        await using var function = ChildProcess.Start(Path.Combine(functionDirectory, "bootstrap"), ["--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture)], functionDirectory, environment);
        var url = new Uri($"http://127.0.0.1:{port}/mcp");
        await WaitForAsync(port, function);

        var modern = new List<double>(count);
        var legacy = new List<double>(count);
        int modernExchanges = 0, legacyExchanges = 0;
        for (var i = 0; i < warmup + count; i++)
        {
            var (modernMs, modernSeen) = await FirstResultAsync(url, protocolVersion: null, $"modern {i}");
            var (legacyMs, legacySeen) = await FirstResultAsync(url, protocolVersion: "2025-11-25", $"legacy {i}");
            if (i >= warmup)
            {
                modern.Add(modernMs);
                legacy.Add(legacyMs);
                (modernExchanges, legacyExchanges) = (modernSeen, legacySeen);
            }
        }

        return (new ClientStarts(new Stats(modern), modernExchanges), new ClientStarts(new Stats(legacy), legacyExchanges));
    }

    /// <summary>One fresh client on its own connection: created, one <c>echo</c> call answered, the time and the exchanges counted.</summary>
    private static async Task<(double Ms, int Exchanges)> FirstResultAsync(Uri url, string? protocolVersion, string message)
    {
        var counter = new ExchangeCounter { InnerHandler = new SocketsHttpHandler() };
        var started = Stopwatch.GetTimestamp();
        await using (var client = await McpClient.CreateAsync(
            new HttpClientTransport(new HttpClientTransportOptions { Endpoint = url, TransportMode = HttpTransportMode.StreamableHttp }, new HttpClient(counter), ownsHttpClient: true),
            new McpClientOptions { ProtocolVersion = protocolVersion }))
        {
            await FloorBench.EchoAsync(client, message);
            var elapsed = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            var expected = protocolVersion ?? "2026-07-28";
            if (client.NegotiatedProtocolVersion != expected)
            {
                throw new InvalidOperationException($"the client negotiated {client.NegotiatedProtocolVersion}, not {expected}");
            }

            return (elapsed, counter.Count);
        }
    }

    private static int FreePort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }

    private static async Task WaitForAsync(int port, ChildProcess function)
    {
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                using var tcp = new TcpClient();
                await tcp.ConnectAsync(IPAddress.Loopback, port);
                return;
            }
            catch (SocketException) when (deadline.Elapsed < TimeSpan.FromSeconds(60) && !function.Process.HasExited)
            {
                await Task.Delay(50);
            }
            catch (SocketException)
            {
                throw new InvalidOperationException($"the function did not listen on port {port} in local mode\nstderr:\n{function.StderrTail}");
            }
        }
    }

    /// <summary>Counts the HTTP exchanges a client makes.</summary>
    private sealed class ExchangeCounter : DelegatingHandler
    {
        private int _count;

        public int Count => Volatile.Read(ref _count);

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _count);
            return base.SendAsync(request, cancellationToken);
        }
    }
}
