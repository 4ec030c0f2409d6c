using System.Text.Json.Nodes;
using McpLambda.Runtime.Bridge;
using McpLambda.Runtime.RuntimeApi;

namespace McpLambda.Resilience.Tests;

/// <summary>What the child writes, and what the runtime reports about it, is bounded before it is logged or posted.</summary>
public sealed class BoundedOutputTests
{
    [Fact]
    public void A_huge_stderr_line_is_truncated_before_it_is_logged()
    {
        var marker = Guid.NewGuid().ToString("N");
        using var stderr = new StderrCapture();

        new StderrTail(5).Add(marker + new string('x', 1_000_000));

        var logged = stderr.Text.Split('\n').Single(line => line.Contains(marker));
        Assert.InRange(logged.Length, 100, 8 * 1024);
        Assert.Contains("truncated", logged);
    }

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
