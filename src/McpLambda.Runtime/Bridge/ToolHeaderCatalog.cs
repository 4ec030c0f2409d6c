using System.Text.Json.Nodes;
using ModelContextProtocol.Protocol;

namespace McpLambda.Runtime.Bridge;

/// <summary>
/// The mirrored arguments (<see cref="ToolHeaderParameter"/>) of one server's tools. A function learns a tool's input
/// schema only from its server, so the first modern HTTP <c>tools/call</c> on a server asks it for its tool list (every
/// page) and the list is kept while the server lives: one extra stdio exchange per execution environment, not per call.
/// A call naming a tool the kept list lacks asks again (the list may have grown), and the server's
/// <c>notifications/tools/list_changed</c> makes the next call ask again. A server that cannot list its tools has none
/// whose headers could be checked.
/// </summary>
internal sealed class ToolHeaderCatalog
{
    /// <summary>The most pages of <c>tools/list</c> read; a server that pages on past them is taken as listed.</summary>
    private const int MaxPages = 100;

    private readonly object _gate = new();
    private Task<Dictionary<string, IReadOnlyList<ToolHeaderParameter>>>? _listed;

    /// <summary>Forgets the kept list (the server said it changed).</summary>
    public void Forget()
    {
        lock (_gate)
        {
            _listed = null;
        }
    }

    /// <summary>The mirrored arguments of <paramref name="tool"/> on <paramref name="server"/>; none for a tool the server does not list.</summary>
    public async Task<IReadOnlyList<ToolHeaderParameter>> ForAsync(StdioServerConnection server, string tool, CancellationToken cancellationToken)
    {
        var kept = Listing(server, stale: null);
        var tools = await kept.WaitAsync(cancellationToken).ConfigureAwait(false);
        if (!tools.ContainsKey(tool))
        {
            tools = await Listing(server, stale: kept).WaitAsync(cancellationToken).ConfigureAwait(false);
        }

        return tools.GetValueOrDefault(tool) ?? [];
    }

    /// <summary>The kept list, asked for anew when there is none, it failed, or it is <paramref name="stale"/> (calls that find the same list stale share one new ask).</summary>
    private Task<Dictionary<string, IReadOnlyList<ToolHeaderParameter>>> Listing(StdioServerConnection server, Task? stale)
    {
        lock (_gate)
        {
            if (_listed is null || _listed == stale || _listed.IsFaulted || _listed.IsCanceled)
            {
                // Not the caller's cancellation: the list is shared by every call, and a server that never answers is replaced.
                _listed = ListAsync(server);
            }

            return _listed;
        }
    }

    private static async Task<Dictionary<string, IReadOnlyList<ToolHeaderParameter>>> ListAsync(StdioServerConnection server)
    {
        var tools = new Dictionary<string, IReadOnlyList<ToolHeaderParameter>>(StringComparer.Ordinal);
        string? cursor = null;
        for (var page = 0; page < MaxPages; page++)
        {
            var answer = await server.RequestAsync(RequestMethods.ToolsList, cursor is null ? null : new JsonObject { ["cursor"] = cursor }, CancellationToken.None).ConfigureAwait(false);
            if (answer is not JsonRpcResponse { Result: JsonObject result })
            {
                break;
            }

            foreach (var tool in (result["tools"] as JsonArray ?? []).OfType<JsonObject>())
            {
                if (tool["name"] is JsonValue name && name.TryGetValue<string>(out var named))
                {
                    tools[named] = ToolHeaderParameter.Of(tool["inputSchema"]);
                }
            }

            if (result["nextCursor"] is not JsonValue next || !next.TryGetValue<string>(out cursor))
            {
                break;
            }
        }

        return tools;
    }
}
