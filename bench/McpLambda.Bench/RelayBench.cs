using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using McpLambda.Runtime;
using McpLambda.Runtime.Bridge;
using McpLambda.Runtime.Configuration;
using McpLambda.Runtime.Invocations;
using McpLambda.Runtime.JsonRpc;
using McpLambda.Runtime.Relay;
using McpLambda.Tests;
using ModelContextProtocol.Protocol;

namespace McpLambda.Bench;

/// <summary>
/// What the server-request relay adds: server-everything asks for sampling during a call, a client answers, and the clock
/// runs from the answer's POST to the end of the call (the server got the answer, finished the tool, and answered). The
/// same answer either reaches the asking environment directly, or another environment, which stores it in DynamoDB
/// (dynalite on loopback) for the asker to poll.
/// </summary>
internal static class RelayBench
{
    /// <summary>Answer-to-completion times (ms): directly, then through the relay for each poll interval.</summary>
    public static async Task<(Stats Direct, IReadOnlyList<(TimeSpan Poll, Stats Relayed)> Relayed)> RunAsync(
        string serverIndex, string dynaliteCli, int count, IReadOnlyList<TimeSpan> polls)
    {
        var port = FreePort();
        using var dynalite = Process.Start(new ProcessStartInfo("node", [dynaliteCli, "--port", port.ToString()]) { RedirectStandardOutput = true, RedirectStandardError = true })!;
        try
        {
            var endpoint = $"http://127.0.0.1:{port}";
            await RelayTable.CreateAsync(endpoint, () => !dynalite.HasExited);
            var server = (McpLambdaSettings.Default with { ResponseStreaming = true }).ApplyTo(new StdioServerOptions("node", [serverIndex, "stdio"]));

            await using var alone = new StdioServerBridge(server, new ServerRequestRelay());
            var direct = await MeasureAsync(alone, alone, count);
            var relayed = new List<(TimeSpan, Stats)>();
            foreach (var poll in polls)
            {
                await using var asker = new StdioServerBridge(server, new ServerRequestRelay(Store(endpoint), poll));
                await using var other = new StdioServerBridge(server, new ServerRequestRelay(Store(endpoint), poll));
                relayed.Add((poll, await MeasureAsync(asker, other, count)));
            }

            return (direct, relayed);
        }
        finally
        {
            dynalite.Kill(entireProcessTree: true);
        }
    }

    private static async Task<Stats> MeasureAsync(StdioServerBridge asker, StdioServerBridge answerer, int count)
    {
        var samples = new List<double>();
        for (var i = 0; i < count + 2; i++)
        {
            var answered = new Stopwatch();
            var client = new LiveClient(request =>
            {
                answered.Start();
                return answerer.HandleAsync(Answer(request.Id), null, InvocationContext.Outside()).AsTask();
            });
            using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            var result = await asker.HandleAsync(SamplingCall(i), client, InvocationContext.Outside(deadline.Token));
            if (result is not JsonRpcResponse)
            {
                throw new InvalidOperationException("the sampling call failed: " + JsonRpcMessages.ToUtf8(result!).Length + " bytes of error");
            }

            // The first two warm the server and the connections.
            if (i >= 2)
            {
                samples.Add(answered.Elapsed.TotalMilliseconds);
            }
        }

        return new Stats(samples);
    }

    private static DynamoDbServerRequestStore Store(string endpoint) => new(RelayTable.Client(endpoint), RelayTable.Name, "bench-function");

    private static JsonRpcRequest SamplingCall(int i) => new()
    {
        Id = new RequestId(i),
        Method = RequestMethods.ToolsCall,
        Params = new JsonObject { ["name"] = "trigger-sampling-request", ["arguments"] = new JsonObject { ["prompt"] = "bench", ["maxTokens"] = 10 } },
    };

    private static JsonRpcResponse Answer(RequestId id) => new()
    {
        Id = id,
        Result = new JsonObject { ["role"] = "assistant", ["content"] = new JsonObject { ["type"] = "text", ["text"] = "answer" }, ["model"] = "bench" },
    };

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
