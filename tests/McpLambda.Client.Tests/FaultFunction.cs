using System.Text;
using System.Text.Json.Nodes;
using McpLambda.Runtime.RuntimeApi;

namespace McpLambda.Client.Tests;

/// <summary>
/// A tiny in-process function on the real Runtime API client: a minimal MCP server (initialize, tools/list, an
/// echo tool) that fails the invocation — posting an invocation error, as a crashing handler would — when
/// the message carries <see cref="Marker"/>.
/// </summary>
public sealed class FaultFunction : IAsyncDisposable
{
    public const string Marker = "explode";
    private readonly RuntimeApiClient _client;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;

    public FaultFunction(string runtimeApi)
    {
        _client = new RuntimeApiClient(runtimeApi);
        _loop = Task.Run(LoopAsync);
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        try
        {
            await _loop;
        }
        catch (OperationCanceledException)
        {
        }

        _client.Dispose();
        _stop.Dispose();
    }

    private async Task LoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            LambdaInvocation invocation;
            try
            {
                invocation = await _client.NextAsync(_stop.Token);
            }
            catch (Exception) when (_stop.IsCancellationRequested)
            {
                return;
            }
            catch (HttpRequestException)
            {
                return;
            }

            try
            {
                var answer = Handle(JsonNode.Parse(invocation.Event.Span)!.AsObject());
                await _client.PostResponseAsync(invocation.RequestId, Encoding.UTF8.GetBytes(answer.ToJsonString()), _stop.Token);
            }
            catch (InvalidOperationException ex)
            {
                await _client.PostErrorAsync(invocation.RequestId, ex.GetType().Name, ex.Message, _stop.Token);
            }
        }
    }

    private static JsonObject Handle(JsonObject message)
    {
        if (message.ToJsonString().Contains(Marker, StringComparison.Ordinal))
        {
            throw new InvalidOperationException("The function blew up on purpose.");
        }

        var id = message["id"]?.DeepClone();
        if (id is null)
        {
            return [];
        }

        var method = message["method"]?.GetValue<string>();
        JsonNode? result = method switch
        {
            "initialize" => new JsonObject
            {
                ["protocolVersion"] = message["params"]?["protocolVersion"]?.DeepClone() ?? "2025-06-18",
                ["capabilities"] = new JsonObject { ["tools"] = new JsonObject() },
                ["serverInfo"] = new JsonObject { ["name"] = "fault-function", ["version"] = "1.0.0" },
            },
            "tools/list" => new JsonObject
            {
                ["tools"] = new JsonArray(new JsonObject
                {
                    ["name"] = "echo",
                    ["description"] = "Echoes the message.",
                    ["inputSchema"] = JsonNode.Parse("""{"type":"object","properties":{"message":{"type":"string"}},"required":["message"]}"""),
                }),
            },
            "tools/call" => new JsonObject
            {
                ["content"] = new JsonArray(new JsonObject { ["type"] = "text", ["text"] = "Echo: " + message["params"]?["arguments"]?["message"]?.GetValue<string>() }),
            },
            "ping" => new JsonObject(),
            _ => null,
        };
        return result is null
            ? new JsonObject { ["jsonrpc"] = "2.0", ["id"] = id, ["error"] = new JsonObject { ["code"] = -32601, ["message"] = "Method not found: " + method } }
            : new JsonObject { ["jsonrpc"] = "2.0", ["id"] = id, ["result"] = result };
    }
}
