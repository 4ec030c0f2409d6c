namespace McpLambda.Runtime.AgentCore;

/// <summary>
/// The <c>--export-agentcore-schema FILE</c> switch of a generated function: starts the wrapped server
/// locally and writes its tools in the Bedrock AgentCore Gateway Lambda-target schema format. It binds
/// <see cref="AgentCoreToolSchemaWriter"/>, which does the work, to the process's arguments and console.
/// </summary>
internal static class AgentCoreSchemaExport
{
    /// <summary>Runs the export when <paramref name="args"/> asks for it.</summary>
    /// <returns>The exit code, or null when the switch is absent.</returns>
    public static async Task<int?> TryRunAsync(string[] args, StdioServerOptions server, CancellationToken cancellationToken)
    {
        if (!AgentCoreToolSchemaWriter.TryParseArguments(args, out var target, out var problem))
        {
            return null;
        }

        if (problem is not null)
        {
            await Console.Error.WriteLineAsync(problem).ConfigureAwait(false);
            return 2;
        }

        return await AgentCoreToolSchemaWriter.RunAsync(target!, server, Console.Out, Console.Error, cancellationToken).ConfigureAwait(false);
    }
}
