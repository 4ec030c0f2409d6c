using System.Collections.Concurrent;
using System.Text.Json.Nodes;

namespace McpLambda.Runtime.Observability;

/// <summary>
/// Dimension values for the metrics, bounded because each new value is a new CloudWatch custom metric (billed monthly)
/// and both come from the client: a method outside MCP's own set is <c>(other)</c>; a tool name counts only once the
/// server has answered a call to it with a result (so a client cannot mint metrics by inventing names), and at most
/// <see cref="MaxTools"/> of them.
/// </summary>
internal sealed class MetricDimensions
{
    public const string OtherMethod = "(other)";
    public const string UnknownTool = "(unknown)";
    public const string ToolsCall = "tools/call";
    public const int MaxTools = 100;

    /// <summary>The longest tool name kept, from MCP's naming guidance (1 to 128 characters).</summary>
    private const int MaxToolNameLength = 128;

    private static readonly HashSet<string> Methods =
    [
        "initialize", "ping", "tools/list", ToolsCall, "resources/list", "resources/templates/list", "resources/read",
        "resources/subscribe", "resources/unsubscribe", "prompts/list", "prompts/get", "completion/complete",
        "logging/setLevel", "tasks/get", "tasks/list", "tasks/result", "tasks/cancel",
    ];

    private readonly ConcurrentDictionary<string, byte> _tools = new(StringComparer.Ordinal);

    public static string Method(string method) => Methods.Contains(method) ? method : OtherMethod;

    /// <summary>The Tool dimension of a <c>tools/call</c> with <paramref name="parameters"/>; <paramref name="answeredWithResult"/> proves the tool exists.</summary>
    public string Tool(JsonNode? parameters, bool answeredWithResult)
    {
        if ((parameters as JsonObject)?["name"] is not JsonValue value || !value.TryGetValue<string>(out var name)
            || name.Length is 0 or > MaxToolNameLength)
        {
            return UnknownTool;
        }

        if (_tools.ContainsKey(name))
        {
            return name;
        }

        if (!answeredWithResult || _tools.Count >= MaxTools)
        {
            return UnknownTool;
        }

        // The count is checked before adding, so under a race a few more than MaxTools may be kept: a bound, not an exact cap.
        _tools.TryAdd(name, 0);
        return name;
    }
}
