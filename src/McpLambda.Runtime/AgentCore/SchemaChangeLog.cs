namespace McpLambda.Runtime.AgentCore;

/// <summary>Collects the rewrites made to one tool's schemas, in the order they are made.</summary>
internal sealed class SchemaChangeLog(string tool, List<AgentCoreSchemaChange> changes)
{
    /// <summary>Records that <paramref name="change"/> was made at <paramref name="path"/>.</summary>
    public void Report(string path, string change) => changes.Add(new AgentCoreSchemaChange(tool, path, change));
}
