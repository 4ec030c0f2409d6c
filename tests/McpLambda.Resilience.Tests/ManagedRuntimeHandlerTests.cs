using System.Text;
using System.Text.Json.Nodes;
using McpLambda.Runtime;
using McpLambda.Runtime.EventAdapters;

namespace McpLambda.Resilience.Tests;

/// <summary>The Stream → Stream handler the managed .NET runtime calls.</summary>
/// <remarks>It applies the environment's log settings, so it does not run beside tests that set them (<see cref="LogConfigurationCollection"/>).</remarks>
[Collection(nameof(LogConfigurationCollection))]
public sealed class ManagedRuntimeHandlerTests
{
    [Fact]
    public async Task The_stream_handler_answers_events_with_one_warm_server()
    {
        var pids = new List<string>();
        for (var i = 0; i < 2; i++)
        {
            var input = new MemoryStream(Encoding.UTF8.GetBytes("{\"jsonrpc\":\"2.0\",\"id\":" + i + ",\"method\":\"tools/call\",\"params\":{\"name\":\"pid\"}}"));

            var output = await ManagedRuntimeHandler.HandleAsync(input, MisbehavingServer.Options(), LambdaInvokeEventAdapter.Instance);

            var answer = JsonNode.Parse(output)!;
            Assert.Equal(i, answer["id"]!.GetValue<int>());
            pids.Add(answer["result"]!["content"]![0]!["text"]!.GetValue<string>());
        }

        Assert.Equal(pids[0], pids[1]);
    }
}
