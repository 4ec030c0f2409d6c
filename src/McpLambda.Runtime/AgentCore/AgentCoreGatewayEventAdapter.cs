using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using McpLambda.Runtime.EventAdapters;
using McpLambda.Runtime.Http;
using McpLambda.Runtime.RuntimeApi;
using ModelContextProtocol.Protocol;
using McpLambda.Runtime.Invocations;

namespace McpLambda.Runtime.AgentCore;

/// <summary>
/// A Lambda target of an Amazon Bedrock AgentCore Gateway. The gateway speaks MCP to its clients and
/// invokes the function once per <c>tools/call</c>, with the tool's <c>arguments</c> object as the
/// event and the tool's name in the Lambda client context, <c>custom.bedrockAgentCoreToolName</c>,
/// formatted <c>&lt;target name&gt;___&lt;tool name&gt;</c>. The adapter strips the target prefix,
/// sends <c>tools/call</c> to the wrapped server and returns the tool's result.
/// </summary>
/// <remarks>
/// <para>
/// <b>Response.</b> The function returns the server's <c>CallToolResult</c> object as it is —
/// <c>{"content": [...], "structuredContent": {...}, "_meta": {...}}</c> — which is what the
/// reference implementation (<c>BedrockAgentCoreGatewayTargetHandler</c> of
/// <c>run-model-context-protocol-servers-with-aws-lambda</c>) returns.
/// </para>
/// <para>
/// <b>Failures</b> are thrown as <see cref="AgentCoreGatewayException"/>s, which the runtime loop posts
/// as invocation errors (the gateway then fails the tool call):
/// <list type="bullet">
/// <item><see cref="AgentCoreMissingToolNameException"/> (<c>AgentCore.MissingToolName</c>): no client context, or no tool name in it.</item>
/// <item><see cref="AgentCoreMalformedClientContextException"/> (<c>AgentCore.MalformedClientContext</c>): the client context is not the documented JSON.</item>
/// <item><see cref="AgentCoreInvalidToolNameException"/> (<c>AgentCore.InvalidToolName</c>): the tool name lacks the <c>___</c> target prefix (the reference fails here too).</item>
/// <item><see cref="AgentCoreInvalidEventException"/> (<c>AgentCore.InvalidEvent</c>): the event is not a JSON object (an empty or <c>null</c> event means no arguments).</item>
/// <item><see cref="AgentCoreUnknownToolException"/> (<c>AgentCore.UnknownTool</c>): the server has no such tool, whether it says so with a JSON-RPC error or with an <c>isError</c> result (<c>Tool x not found</c>, <c>Unknown tool: x</c>).</item>
/// <item><see cref="AgentCoreServerErrorException"/> (<c>AgentCore.ServerError</c>): any other JSON-RPC error (server crashed, timed out, refused). The reference also throws on every JSON-RPC error.</item>
/// <item><see cref="AgentCoreToolErrorException"/> (<c>AgentCore.ToolError</c>): the tool answered <c>isError: true</c>; the message is its text content.
/// Here <see cref="Instance"/> departs from the reference, which returns such a result as a success: the gateway
/// passes a successful Lambda payload to its client as a successful tool result, so the failure would be lost.
/// <see cref="ReturningToolErrors"/> keeps the reference's behaviour.</item>
/// </list>
/// </para>
/// <para>
/// <b>Local mode</b> (<c>dotnet run</c> without <c>AWS_LAMBDA_RUNTIME_API</c>) stands in for the gateway with a
/// simple convention: POST the tool's arguments as the JSON body to <c>/mcp</c> and name the tool in the
/// <c>X-Bedrock-AgentCore-Tool-Name</c> header (<c>target___tool</c>, or a bare tool name, which gets the
/// target <c>local</c>). The answer is <c>200 application/json</c> with the function's payload (the
/// <c>CallToolResult</c>); a function error comes back as <c>502</c> with the Lambda error document.
/// This endpoint is not an MCP endpoint: the gateway is what speaks MCP.
/// </para>
/// <para>No <see cref="System.Text.Json.Serialization.JsonSerializerContext"/> is needed: the arguments,
/// the client context and the result are read and written as <see cref="JsonNode"/>s and
/// <see cref="JsonDocument"/>s, which are trim and AOT safe.</para>
/// </remarks>
internal sealed class AgentCoreGatewayEventAdapter : LambdaEventAdapter
{
    /// <summary>The local-mode request header that names the tool.</summary>
    public const string LocalToolNameHeader = "X-Bedrock-AgentCore-Tool-Name";

    /// <summary>The target name local mode puts in front of a bare tool name.</summary>
    public const string LocalTargetName = "local";

    private readonly bool _throwToolErrors;

    private AgentCoreGatewayEventAdapter(bool throwToolErrors) => _throwToolErrors = throwToolErrors;

    /// <summary>The shared instance: a tool result with <c>isError: true</c> becomes an <c>AgentCore.ToolError</c> function error.</summary>
    public static AgentCoreGatewayEventAdapter Instance { get; } = new(throwToolErrors: true);

    /// <summary>
    /// Returns a tool result with <c>isError: true</c> as the payload, like the reference implementation;
    /// every other failure is thrown as with <see cref="Instance"/>.
    /// </summary>
    public static AgentCoreGatewayEventAdapter ReturningToolErrors { get; } = new(throwToolErrors: false);

    /// <inheritdoc/>
    public override string DisplayName => "Bedrock AgentCore Gateway";

    /// <inheritdoc/>
    internal override string DescribeLocalEndpoint(Uri url)
        => $"serving the AgentCore Lambda target on {url} (POST the tool's arguments; name the tool in {LocalToolNameHeader})\n"
            + $"Try it:  curl -s {url} -H '{LocalToolNameHeader}: local___echo' -H 'Content-Type: application/json' -d '{{\"message\":\"hi\"}}'";

    /// <summary>Answers one gateway invocation with the tool's <c>CallToolResult</c>.</summary>
    /// <exception cref="AgentCoreGatewayException">The invocation failed; the type and <see cref="InvocationErrorException.ErrorType"/> say how.</exception>
    internal override async ValueTask<byte[]> HandleAsync(LambdaInvocation invocation, McpHandlers handlers, InvocationContext context)
    {
        var toolName = AgentCoreClientContext.ReadToolName(invocation.ClientContext);
        var arguments = ReadArguments(invocation.Event.Span);

        var request = new JsonRpcRequest
        {
            Id = new RequestId(invocation.RequestId),
            Method = RequestMethods.ToolsCall,
            Params = new JsonObject { ["name"] = toolName, ["arguments"] = arguments },
        };

        var answer = await handlers.Dispatcher.DispatchAsync(request, context).ConfigureAwait(false);
        switch (answer)
        {
            case JsonRpcError { Error: var error }:
                if (IsUnknownTool(error.Message, toolName))
                {
                    throw new AgentCoreUnknownToolException(toolName, $"The MCP server has no tool '{toolName}': {error.Message}");
                }

                throw new AgentCoreServerErrorException(error.Code, $"The MCP server failed tools/call for '{toolName}' (JSON-RPC error {error.Code}): {error.Message}");
            case JsonRpcResponse { Result: JsonObject result }:
                if (result["isError"] is JsonValue flag && flag.GetValueKind() == JsonValueKind.True)
                {
                    var text = TextContent(result);
                    if (IsUnknownTool(text, toolName))
                    {
                        throw new AgentCoreUnknownToolException(toolName, $"The MCP server has no tool '{toolName}': {text}");
                    }

                    if (_throwToolErrors)
                    {
                        throw new AgentCoreToolErrorException(toolName, text.Length > 0 ? text : $"The tool '{toolName}' reported an error without text content.");
                    }
                }

                return AgentCoreJson.ToUtf8(writer => result.WriteTo(writer));
            default:
                throw new AgentCoreServerErrorException(0, $"The MCP server answered tools/call for '{toolName}' with something other than a CallToolResult object.");
        }
    }

    /// <summary>Whether the client context names an AgentCore Gateway tool (<c>custom.bedrockAgentCoreToolName</c>).</summary>
    internal override bool Accepts(LambdaInvocation invocation, EventShape shape) => AgentCoreClientContext.HasToolName(invocation.ClientContext);

    /// <inheritdoc/>
    internal override bool MatchesOnClientContext => true;

    /// <inheritdoc/>
    internal override bool LocalRequestsNeedJsonContent => true;

    /// <summary>
    /// Local mode: the body is the tool's arguments (none when empty) and the <c>X-Bedrock-AgentCore-Tool-Name</c>
    /// header names the tool; <paramref name="clientContext"/> is the client context the gateway would send, or
    /// null without the header (the invocation then fails with <c>AgentCore.MissingToolName</c>).
    /// </summary>
    internal override byte[] CreateLocalEvent(BufferedHttpRequest request, out string? clientContext)
    {
        clientContext = request.Headers[LocalToolNameHeader] is { Length: > 0 } name
            ? CreateClientContext(name.Contains(AgentCoreClientContext.Delimiter, StringComparison.Ordinal) ? name : LocalTargetName + AgentCoreClientContext.Delimiter + name)
            : null;
        return request.Body.IsEmpty ? "{}"u8.ToArray() : request.Body.ToArray();
    }

    /// <summary>Local mode: <c>200 application/json</c> with the payload.</summary>
    internal override BufferedHttpResponse ReadLocalResponse(ReadOnlySpan<byte> payload)
    {
        var headers = new HttpHeaderCollection();
        headers.Set("Content-Type", MediaTypes.Json);
        return new BufferedHttpResponse(200, headers, payload.ToArray());
    }

    /// <summary>The client context an AgentCore Gateway sends for <paramref name="gatewayToolName"/>, as the Runtime API passes it on.</summary>
    /// <param name="gatewayToolName">The tool name with its target prefix, <c>&lt;target name&gt;___&lt;tool name&gt;</c>.</param>
    public static string CreateClientContext(string gatewayToolName)
        => AgentCoreJson.ToText(writer =>
        {
            writer.WriteStartObject();
            writer.WriteStartObject("custom");
            writer.WriteString("bedrockAgentCoreMessageVersion", "1.0");
            writer.WriteString(AgentCoreClientContext.ToolNameField, gatewayToolName);
            writer.WriteEndObject();
            writer.WriteEndObject();
        });

    private static JsonObject ReadArguments(ReadOnlySpan<byte> payload)
    {
        if (payload.IsEmpty || payload.Trim(" \t\r\n"u8).IsEmpty)
        {
            return [];
        }

        JsonNode? node;
        try
        {
            node = JsonNode.Parse(payload);
        }
        catch (JsonException ex)
        {
            throw new AgentCoreInvalidEventException("The event is not valid JSON; an AgentCore Gateway target gets the tool's arguments as a JSON object: " + ex.Message, ex);
        }

        return node switch
        {
            null => [],
            JsonObject arguments => arguments,
            _ => throw new AgentCoreInvalidEventException(
                $"The event must be a JSON object (the tool's arguments), not {AgentCoreClientContext.Describe(node.GetValueKind())}."),
        };
    }

    private static string TextContent(JsonObject result)
    {
        if (result["content"] is not JsonArray content)
        {
            return "";
        }

        var texts = new List<string>();
        foreach (var item in content)
        {
            if (item is JsonObject block && block["type"] is JsonValue type && type.GetValueKind() == JsonValueKind.String && type.GetValue<string>() == "text"
                && block["text"] is JsonValue text && text.GetValueKind() == JsonValueKind.String)
            {
                texts.Add(text.GetValue<string>());
            }
        }

        return string.Join("\n", texts);
    }

    /// <summary>The servers' ways of saying a tool does not exist: <c>Tool x not found</c> (TypeScript SDK), <c>Unknown tool: x</c> (Python and C# SDKs).</summary>
    private static bool IsUnknownTool(string message, string toolName)
        => message.Contains("unknown tool", StringComparison.OrdinalIgnoreCase)
           || Regex.IsMatch(message, @"\btool\W+" + Regex.Escape(toolName) + @"\W+not found", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));
}
