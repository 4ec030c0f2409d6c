using System.Text.Json;

namespace McpLambda.Runtime.AgentCore;

/// <summary>
/// Reads the fields an AgentCore Gateway puts in the Lambda client context
/// (<c>Lambda-Runtime-Client-Context</c>: <c>{"client": …, "custom": {"bedrockAgentCoreToolName": …}, "env": …}</c>).
/// </summary>
internal static class AgentCoreClientContext
{
    /// <summary>The custom field that names the tool, as <c>&lt;target name&gt;___&lt;tool name&gt;</c>.</summary>
    public const string ToolNameField = "bedrockAgentCoreToolName";

    /// <summary>Separates the target name from the tool name in <see cref="ToolNameField"/>.</summary>
    public const string Delimiter = "___";

    /// <summary>Whether <paramref name="clientContext"/> names a tool; never throws.</summary>
    public static bool HasToolName(string? clientContext)
    {
        try
        {
            return TryReadGatewayToolName(clientContext, out _);
        }
        catch (AgentCoreGatewayException)
        {
            return false;
        }
    }

    /// <summary>The tool name without its target prefix.</summary>
    /// <exception cref="AgentCoreMissingToolNameException">No client context, or no tool name in it.</exception>
    /// <exception cref="AgentCoreMalformedClientContextException">The client context is not the documented JSON shape.</exception>
    /// <exception cref="AgentCoreInvalidToolNameException">The name lacks the <c>___</c> delimiter or the tool part is empty.</exception>
    public static string ReadToolName(string? clientContext)
    {
        if (!TryReadGatewayToolName(clientContext, out var gatewayToolName))
        {
            throw new AgentCoreMissingToolNameException(clientContext is null
                ? $"The invocation has no client context, so no custom.{ToolNameField}: a Bedrock AgentCore Gateway target is invoked with the tool name in the Lambda client context."
                : $"The client context has no custom.{ToolNameField}: a Bedrock AgentCore Gateway target is invoked with the tool name in the Lambda client context.");
        }

        return StripTarget(gatewayToolName);
    }

    /// <summary>Strips everything through the first <c>___</c> from a gateway tool name.</summary>
    /// <exception cref="AgentCoreInvalidToolNameException">The name lacks the delimiter or the tool part is empty.</exception>
    public static string StripTarget(string gatewayToolName)
    {
        var at = gatewayToolName.IndexOf(Delimiter, StringComparison.Ordinal);
        if (at < 0)
        {
            throw new AgentCoreInvalidToolNameException(
                $"The gateway tool name '{gatewayToolName}' is not of the form <target name>{Delimiter}<tool name>.");
        }

        var tool = gatewayToolName[(at + Delimiter.Length)..];
        if (tool.Length == 0)
        {
            throw new AgentCoreInvalidToolNameException($"The gateway tool name '{gatewayToolName}' has an empty tool name after '{Delimiter}'.");
        }

        return tool;
    }

    private static bool TryReadGatewayToolName(string? clientContext, out string gatewayToolName)
    {
        gatewayToolName = "";
        if (string.IsNullOrWhiteSpace(clientContext))
        {
            return false;
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(clientContext);
        }
        catch (JsonException ex)
        {
            throw new AgentCoreMalformedClientContextException("The Lambda client context is not valid JSON: " + ex.Message, ex);
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw new AgentCoreMalformedClientContextException(
                    $"The Lambda client context must be a JSON object with a \"custom\" object, not {Describe(root.ValueKind)}.");
            }

            if (!root.TryGetProperty("custom", out var custom) || custom.ValueKind == JsonValueKind.Null)
            {
                return false;
            }

            if (custom.ValueKind != JsonValueKind.Object)
            {
                throw new AgentCoreMalformedClientContextException(
                    $"The Lambda client context's \"custom\" must be an object, not {Describe(custom.ValueKind)}.");
            }

            if (!custom.TryGetProperty(ToolNameField, out var name) || name.ValueKind == JsonValueKind.Null)
            {
                return false;
            }

            if (name.ValueKind != JsonValueKind.String)
            {
                throw new AgentCoreMalformedClientContextException(
                    $"The Lambda client context's custom.{ToolNameField} must be a string, not {Describe(name.ValueKind)}.");
            }

            gatewayToolName = name.GetString()!;
            return gatewayToolName.Length > 0;
        }
    }

    internal static string Describe(JsonValueKind kind) => kind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        JsonValueKind.Null => "null",
        _ => "nothing",
    };
}
