namespace McpLambda.Runtime.AgentCore;

/// <summary>
/// The <c>--export-agentcore-schema FILE</c> switch of a generated function: starts the wrapped server
/// locally and writes its tools in the Bedrock AgentCore Gateway Lambda-target schema format.
/// </summary>
internal static class AgentCoreSchemaExport
{
    public const string Switch = "--export-agentcore-schema";

    /// <summary>Runs the export when <paramref name="args"/> asks for it.</summary>
    /// <returns>The exit code, or null when the switch is absent.</returns>
    public static Task<int?> TryRunAsync(string[] args, StdioServerOptions server, CancellationToken cancellationToken)
        => Task.FromResult<int?>(null);
}
