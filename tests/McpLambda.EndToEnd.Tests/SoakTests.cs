using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using McpLambda.Tests;
using Xunit.Abstractions;

namespace McpLambda.EndToEnd.Tests;

/// <summary>Many requests at once through local mode: every answer matched to its request, none lost, one warm server.</summary>
public sealed class SoakTests(ITestOutputHelper output)
{
    private const int Requests = 10_000;
    private const int Concurrency = 8;

    [Fact]
    public async Task Ten_thousand_requests_at_concurrency_eight_are_all_answered_by_one_warm_server()
    {
        var (function, url) = await SampleFunction.StartLocalAsync("EverythingFunction");
        await using var _ = function;
        using var http = new HttpClient();
        var next = -1;
        var answered = 0;
        var clock = Stopwatch.StartNew();

        await Task.WhenAll(Enumerable.Range(0, Concurrency).Select(async _ =>
        {
            for (var i = Interlocked.Increment(ref next); i < Requests; i = Interlocked.Increment(ref next))
            {
                var body = "{\"jsonrpc\":\"2.0\",\"id\":" + i + ",\"method\":\"tools/call\",\"params\":{\"name\":\"echo\",\"arguments\":{\"message\":\"soak " + i + "\"}}}";
                using var content = new StringContent(body, Encoding.UTF8, "application/json");
                using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = content };
                request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
                request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/event-stream"));
                using var response = await http.SendAsync(request);
                var answer = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
                Assert.Equal(i, answer["id"]!.GetValue<int>());
                Assert.Equal($"Echo: soak {i}", answer["result"]!["content"]![0]!["text"]!.GetValue<string>());
                Interlocked.Increment(ref answered);
            }
        }));

        clock.Stop();
        Assert.Equal(Requests, answered);
        Assert.Equal(1, function.Output.Split('\n').Count(line => line.Contains("Starting default (STDIO) server", StringComparison.Ordinal)));
        Assert.False(function.Process.HasExited);
        output.WriteLine($"{Requests} requests at concurrency {Concurrency}: {clock.Elapsed.TotalSeconds:0.0} s, {Requests / clock.Elapsed.TotalSeconds:0} requests/s, 1 server process");
    }
}
