using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using McpLambda.Runtime.Bridge;
using McpLambda.Runtime.JsonRpc;
using McpLambda.Runtime.Invocations;
using ModelContextProtocol.Protocol;

namespace McpLambda.Runtime.AgentCore;

/// <summary>
/// Writes a stdio MCP server's tools as the tool schema of an Amazon Bedrock AgentCore Gateway Lambda target:
/// a JSON array of <c>{name, description, inputSchema, outputSchema?}</c>, to paste as the target's
/// <c>toolSchema.inlinePayload</c> or to upload to S3 and name as its <c>toolSchema.s3.uri</c>.
/// </summary>
internal static class AgentCoreToolSchemaWriter
{
    /// <summary>The command-line switch: <c>--export-agentcore-schema FILE</c>, <c>--export-agentcore-schema=FILE</c>; <c>-</c> is standard output.</summary>
    public const string Switch = "--export-agentcore-schema";

    /// <summary>The most <c>tools/list</c> pages read before giving up on a server that never stops paging.</summary>
    public const int MaxPages = 1000;

    /// <summary>Finds <see cref="Switch"/> in <paramref name="args"/>.</summary>
    /// <param name="args">The process arguments.</param>
    /// <param name="target">The file to write, or <c>-</c> for standard output.</param>
    /// <param name="problem">Why the switch is unusable, e.g. it lacks its file.</param>
    /// <returns>Whether the switch is present (check <paramref name="problem"/> before using <paramref name="target"/>).</returns>
    public static bool TryParseArguments(IReadOnlyList<string> args, out string? target, out string? problem)
    {
        target = null;
        problem = null;
        for (var i = 0; i < args.Count; i++)
        {
            if (args[i] == Switch)
            {
                if (i + 1 >= args.Count || args[i + 1].Length == 0 || (args[i + 1].StartsWith("--", StringComparison.Ordinal)))
                {
                    problem = $"{Switch} needs a file to write (or - for standard output), e.g. {Switch} tools.json";
                }
                else
                {
                    target = args[i + 1];
                }

                return true;
            }

            if (args[i].StartsWith(Switch + "=", StringComparison.Ordinal))
            {
                target = args[i][(Switch.Length + 1)..];
                if (target.Length == 0)
                {
                    target = null;
                    problem = $"{Switch}= needs a file to write (or - for standard output), e.g. {Switch}=tools.json";
                }

                return true;
            }
        }

        return false;
    }

    /// <summary>Asks <paramref name="server"/> for all its tools, following <c>nextCursor</c> from page to page.</summary>
    /// <exception cref="InvalidDataException">The server answered with an error or a malformed result.</exception>
    public static async Task<IReadOnlyList<JsonNode?>> ListToolsAsync(IMcpMessageHandler server, CancellationToken cancellationToken)
    {
        var tools = new List<JsonNode?>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var outside = InvocationContext.Outside(cancellationToken);
        string? cursor = null;
        for (var page = 1; ; page++)
        {
            var request = new JsonRpcRequest
            {
                Id = new RequestId(page),
                Method = RequestMethods.ToolsList,
                Params = cursor is null ? null : new JsonObject { ["cursor"] = cursor },
            };

            var answer = await server.HandleAsync(request, null, outside).ConfigureAwait(false);
            if (answer is JsonRpcError { Error: var error })
            {
                throw new InvalidDataException($"The MCP server answered tools/list with error {error.Code}: {error.Message}");
            }

            if (answer is not JsonRpcResponse { Result: JsonObject result } || result["tools"] is not JsonArray list)
            {
                throw new InvalidDataException("The MCP server's tools/list result has no \"tools\" array.");
            }

            tools.AddRange(list.Select(tool => tool?.DeepClone()));
            cursor = result["nextCursor"] is JsonValue next && next.GetValueKind() == JsonValueKind.String ? next.GetValue<string>() : null;
            if (string.IsNullOrEmpty(cursor))
            {
                return tools;
            }

            if (!seen.Add(cursor) || page >= MaxPages)
            {
                throw new InvalidDataException($"The MCP server's tools/list keeps paging (cursor '{cursor}' on page {page}).");
            }
        }
    }

    /// <summary>Starts <paramref name="server"/>, lists and converts its tools, and writes them.</summary>
    /// <param name="target">The file to write, or <c>-</c> for <paramref name="output"/>.</param>
    /// <param name="server">The wrapped stdio server.</param>
    /// <param name="output">Standard output, used when <paramref name="target"/> is <c>-</c>.</param>
    /// <param name="log">Where the rewrites and the outcome are reported (standard error).</param>
    /// <param name="cancellationToken">Stops the export.</param>
    /// <returns>0 on success, 1 when the server could not be asked or the file could not be written.</returns>
    public static async Task<int> RunAsync(string target, StdioServerOptions server, TextWriter output, TextWriter log, CancellationToken cancellationToken)
    {
        AgentCoreToolSchemaConversion conversion;
        await using (var bridge = new StdioServerBridge(server))
        {
            try
            {
                await bridge.StartAsync(cancellationToken).ConfigureAwait(false);
                conversion = AgentCoreToolSchemaConverter.Convert(await ListToolsAsync(bridge, cancellationToken).ConfigureAwait(false));
            }
            catch (Exception ex) when (ex is StdioServerStartException or InvalidDataException)
            {
                await log.WriteLineAsync($"AgentCore schema export failed: {ex.Message}").ConfigureAwait(false);
                return 1;
            }
        }

        var json = Serialize(conversion.Tools);
        try
        {
            if (target == "-")
            {
                await output.WriteLineAsync(json).ConfigureAwait(false);
                await output.FlushAsync(cancellationToken).ConfigureAwait(false);
            }
            else
            {
                await File.WriteAllTextAsync(target, json + "\n", new UTF8Encoding(false), cancellationToken).ConfigureAwait(false);
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            await log.WriteLineAsync($"AgentCore schema export failed: could not write '{target}': {ex.Message}").ConfigureAwait(false);
            return 1;
        }

        if (conversion.Changes.Count == 0)
        {
            await log.WriteLineAsync("AgentCore schema export: no rewrites were needed.").ConfigureAwait(false);
        }
        else
        {
            await log.WriteLineAsync($"AgentCore schema export: {conversion.Changes.Count} rewrites so that AgentCore Gateway accepts the schema:").ConfigureAwait(false);
            foreach (var change in conversion.Changes)
            {
                await log.WriteLineAsync("  " + change).ConfigureAwait(false);
            }
        }

        await log.WriteLineAsync($"AgentCore schema export: wrote {conversion.Tools.Count} tools to {(target == "-" ? "standard output" : Path.GetFullPath(target))}.").ConfigureAwait(false);
        return 0;
    }

    /// <summary>The tool definitions as indented JSON.</summary>
    public static string Serialize(JsonArray tools)
        => AgentCoreJson.ToText(writer => tools.WriteTo(writer), AgentCoreJson.Readable with { Indented = true });
}
