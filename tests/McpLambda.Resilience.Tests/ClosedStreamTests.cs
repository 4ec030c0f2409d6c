using System.Text.Json.Nodes;
using McpLambda.Runtime.Bridge;
using McpLambda.Runtime.Http;
using McpLambda.Runtime.JsonRpc;
using McpLambda.Runtime.StreamableHttp;
using ModelContextProtocol.Protocol;

namespace McpLambda.Resilience.Tests;

/// <summary>
/// A client that closes the event stream of its call: for a modern (MCP 2026-07-28) request that cancels the request,
/// so the server gets <c>notifications/cancelled</c> and keeps serving; a legacy client's disconnect is no cancellation
/// (it may resume), so its request runs to its end. The stream is found closed when a keep-alive cannot be written.
/// </summary>
public sealed class ClosedStreamTests
{
    private static readonly StreamableHttpOptions QuickKeepAlive = new() { KeepAliveInterval = TimeSpan.FromMilliseconds(100) };

    [Fact]
    public async Task A_modern_clients_closed_stream_cancels_its_call_on_the_server_which_keeps_serving()
    {
        await using var bridge = new StdioServerBridge(MisbehavingServer.Options());
        var pid = (await bridge.CallAsync("pid")).Text();
        var http = new StreamableHttpHandler(new McpMessageDispatcher(bridge), QuickKeepAlive);

        // "hang" never answers: only the closed stream can end the call before the minute's deadline.
        await http.HandleAsync(Post(Modern(MisbehavingServer.Call("hang", id: 7)), modern: true), new RecordingResponse(TimeSpan.Zero, failsWrites: true), Deadline(60))
            .WaitAsync(TimeSpan.FromSeconds(30));

        var cancelled = JsonNode.Parse((await bridge.CallAsync("cancelled")).Text())!.AsArray();
        Assert.Single(cancelled);
        Assert.Equal(pid, (await bridge.CallAsync("pid")).Text());
    }

    [Fact]
    public async Task A_legacy_clients_closed_stream_leaves_its_call_running_to_its_end()
    {
        await using var bridge = new StdioServerBridge(MisbehavingServer.Options());
        var http = new StreamableHttpHandler(new McpMessageDispatcher(bridge), QuickKeepAlive);

        var started = DateTimeOffset.UtcNow;
        await http.HandleAsync(Post(MisbehavingServer.Call("slow", new JsonObject { ["ms"] = 1500 }), modern: false), new RecordingResponse(TimeSpan.Zero, failsWrites: true), Deadline(60));

        Assert.True(DateTimeOffset.UtcNow - started >= TimeSpan.FromMilliseconds(1400), "the call ended before the server answered it");
        Assert.Empty(JsonNode.Parse((await bridge.CallAsync("cancelled")).Text())!.AsArray());
    }

    private static JsonRpcRequest Modern(JsonRpcRequest call)
    {
        call.Params!["_meta"] = new JsonObject
        {
            ["io.modelcontextprotocol/protocolVersion"] = "2026-07-28",
            ["io.modelcontextprotocol/clientCapabilities"] = new JsonObject(),
        };
        return call;
    }

    private static BufferedHttpRequest Post(JsonRpcRequest call, bool modern)
    {
        var headers = new HttpHeaderCollection();
        headers.Set("Content-Type", "application/json");
        headers.Set("Accept", "application/json, text/event-stream");
        headers.Set("MCP-Protocol-Version", modern ? "2026-07-28" : "2025-11-25");
        if (modern)
        {
            headers.Set("Mcp-Method", call.Method);
            headers.Set("Mcp-Name", call.Params!["name"]!.GetValue<string>());
        }

        return new BufferedHttpRequest("POST", "/mcp", headers, JsonRpcMessages.ToUtf8(call));
    }

    private static CancellationToken Deadline(double seconds) => new CancellationTokenSource(TimeSpan.FromSeconds(seconds)).Token;
}
