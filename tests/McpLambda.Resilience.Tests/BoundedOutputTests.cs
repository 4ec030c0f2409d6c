using System.Text.Json.Nodes;
using McpLambda.Runtime.Bridge;
using McpLambda.Runtime.Observability;
using McpLambda.Runtime.RuntimeApi;

namespace McpLambda.Resilience.Tests;

/// <summary>What the child writes, and what the runtime reports about it, is bounded before it is logged or posted.</summary>
/// <remarks>Alone in its collection: it measures the process's allocations, which tests running beside it would add to.</remarks>
[Collection(nameof(BoundedOutputTests))]
public sealed class BoundedOutputTests
{
    [Fact]
    public void A_huge_stderr_line_is_truncated_before_it_is_logged()
    {
        var marker = Guid.NewGuid().ToString("N");
        using var stderr = new StderrCapture();

        new StderrTail(5, new InFlightRequests()).Add(marker + new string('x', 1_000_000));

        var logged = stderr.Text.Split('\n').Single(line => line.Contains(marker));
        Assert.InRange(logged.Length, 100, 8 * 1024);
        Assert.Contains("truncated", logged);
    }

    [Fact]
    public async Task A_100_MB_stdout_line_is_cut_off_as_it_is_read_and_its_request_gets_an_internal_error()
    {
        await using var bridge = new StdioServerBridge(MisbehavingServer.Options());
        await bridge.StartAsync(CancellationToken.None);
        var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);

        var answer = await bridge.CallAsync("huge", new JsonObject { ["bytes"] = 100_000_000 }, TimeSpan.FromSeconds(30), id: 5);

        var allocated = GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;
        Assert.Equal(-32603, answer.Error().Code);
        Assert.Contains("bytes on its stdout", answer.Error().Message);
        Assert.Contains("over this function's response limit", answer.Error().Message);
        Assert.Contains("100000", answer.Error().Message);
        Assert.True(allocated < 120_000_000, $"reading the answer allocated {allocated} bytes");
        Assert.Equal("Echo: after", (await bridge.CallAsync("echo", new JsonObject { ["message"] = "after" })).Text());
    }

    [Theory]
    [InlineData("{\"result\":{\"text\":\"xxx", "xxx\"},\"jsonrpc\":\"2.0\",\"id\":42}\r", 42L)]
    [InlineData("{\"jsonrpc\":\"2.0\",\"id\":7,\"result\":{\"text\":\"xxx", "xxx\"}}", 7L)]
    [InlineData("{\"result\":{\"text\":\"xxx", "xxx\"}}", null)]
    public void The_request_an_oversized_line_answers_is_found_at_either_end(string head, string tail, long? id)
        => Assert.Equal(id, new OversizedStdoutLine(10_000_000, System.Text.Encoding.UTF8.GetBytes(head), System.Text.Encoding.UTF8.GetBytes(tail)).RequestId);

    [Fact]
    public void An_error_document_for_the_Runtime_API_caps_its_message()
    {
        var document = JsonNode.Parse(LambdaErrorDocument.Create("Unhandled", new string('y', 2_000_000)))!;

        var message = document["errorMessage"]!.GetValue<string>();
        Assert.InRange(message.Length, 1_000, LambdaErrorDocument.MaxMessageLength + 100);
        Assert.EndsWith("(truncated; 2000000 characters in all)", message);
        Assert.Equal("Unhandled", document["errorType"]!.GetValue<string>());
    }
}

/// <summary>Runs <see cref="BoundedOutputTests"/> with no other test at the same time.</summary>
[CollectionDefinition(nameof(BoundedOutputTests), DisableParallelization = true)]
public sealed class BoundedOutputTestsCollection;
