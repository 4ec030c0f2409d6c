using System.Text.Json.Nodes;
using McpLambda.Runtime;
using McpLambda.Runtime.Bridge;
using McpLambda.Runtime.Invocations;
using ModelContextProtocol.Protocol;

namespace McpLambda.Resilience.Tests;

/// <summary>Starts the purpose-built misbehaving stdio server and calls its fault tools.</summary>
internal static class MisbehavingServer
{
    public static string Script => Path.Combine(AppContext.BaseDirectory, "Servers", "misbehaving-server.mjs");

    public static StdioServerOptions Options(string mode = "normal", McpServerLifetime lifetime = McpServerLifetime.Warm, bool inheritEnvironment = false,
        IReadOnlyDictionary<string, string>? environment = null)
        => new("node", [Script, mode])
        {
            Lifetime = lifetime,
            InheritEnvironment = inheritEnvironment,
            EnvironmentVariables = environment ?? new Dictionary<string, string>(),
            StartupTimeout = TimeSpan.FromSeconds(10),
        };

    public static JsonRpcRequest Call(string tool, JsonObject? arguments = null, long id = 1) => new()
    {
        Id = new RequestId(id),
        Method = RequestMethods.ToolsCall,
        Params = new JsonObject { ["name"] = tool, ["arguments"] = arguments?.DeepClone() ?? new JsonObject() },
    };

    public static async Task<JsonRpcMessage> CallAsync(this StdioServerBridge bridge, string tool, JsonObject? arguments = null, TimeSpan? deadline = null, long id = 1)
    {
        using var cts = new CancellationTokenSource(deadline ?? TimeSpan.FromSeconds(20));
        return (await bridge.HandleAsync(Call(tool, arguments, id), cts.Token))!;
    }

    /// <summary>A call as an invocation makes it: the deadline known to the bridge, and cancelling at the same time.</summary>
    public static async Task<JsonRpcMessage> CallWithinAsync(this StdioServerBridge bridge, string tool, TimeSpan deadline, JsonObject? arguments = null)
    {
        using var cts = new CancellationTokenSource(deadline);
        var invocation = new InvocationContext(null, null, DateTimeOffset.UtcNow + deadline, cts.Token);
        return (await bridge.HandleAsync(Call(tool, arguments), null, invocation))!;
    }

    /// <summary>The text of a successful tool result, failing the test with the error otherwise.</summary>
    public static string Text(this JsonRpcMessage? answer)
    {
        var response = Assert.IsType<JsonRpcResponse>(answer);
        return response.Result!["content"]![0]!["text"]!.GetValue<string>();
    }

    public static JsonRpcErrorDetail Error(this JsonRpcMessage answer) => Assert.IsType<JsonRpcError>(answer).Error;
}
