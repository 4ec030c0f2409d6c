namespace McpLambda.AgentCore.Tests.Support;

/// <summary>Fixture files of the AgentCore tests, found from the test assembly.</summary>
internal static class TestPaths
{
    /// <summary>The client context AgentCore Gateway sends, with the tool name replaced by <paramref name="gatewayToolName"/>.</summary>
    public static string ClientContext(string gatewayToolName)
    {
        var context = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fixtures", "agentcore-client-context.json")))!;
        context["custom"]!["bedrockAgentCoreToolName"] = gatewayToolName;
        return context.ToJsonString();
    }
}
