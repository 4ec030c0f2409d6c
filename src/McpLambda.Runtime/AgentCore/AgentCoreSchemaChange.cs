namespace McpLambda.Runtime.AgentCore;

/// <summary>One rewrite the schema conversion made so that AgentCore Gateway accepts a tool's schema.</summary>
/// <param name="Tool">The tool's name.</param>
/// <param name="Path">Where in the tool definition, e.g. <c>inputSchema.properties.count</c>.</param>
/// <param name="Change">What changed, e.g. <c>removed "default": null</c>.</param>
internal sealed record AgentCoreSchemaChange(string Tool, string Path, string Change)
{
    /// <summary>The change as one line: <c>tool X, property path Y: what changed</c>.</summary>
    public override string ToString() => $"tool {Tool}, property path {Path}: {Change}";
}
