using System.Text.Json.Nodes;
using McpLambda.Tests;

namespace McpLambda.EndToEnd.Tests;

/// <summary>MCP clients nobody here wrote, pinned in this project's package.json, against the sample in local mode.</summary>
public sealed class ForeignClientTests : IAsyncLifetime
{
    private SampleFunction _function = null!;
    private Uri _url = null!;

    public async Task InitializeAsync() => (_function, _url) = await SampleFunction.StartLocalAsync("EverythingFunction");

    public async Task DisposeAsync() => await _function.DisposeAsync();

    [Fact]
    public async Task The_TypeScript_SDK_client_initializes_lists_calls_tools_and_gets_progress()
    {
        var output = JsonNode.Parse(await NodeScript.RunAsync(Path.Combine(NodeScript.ProjectDirectory, "node", "typescript-sdk-client.mjs"), _url.ToString()))!;

        Assert.Equal("mcp-servers/everything", output["server"]!["name"]!.GetValue<string>());
        Assert.Contains("get-sum", output["tools"]!.AsArray().Select(t => t!.GetValue<string>()));
        Assert.Equal("Echo: from the TypeScript SDK", output["echo"]!.GetValue<string>());
        Assert.Contains("42", output["sum"]!.GetValue<string>());
        // The tool's progress reached the client on its call's SSE answer, in order.
        Assert.Equal([1, 2, 3], output["progress"]!.AsArray().Select(p => p!.GetValue<int>()));
    }

    [Fact]
    public async Task The_Inspector_CLI_command_the_function_prints_works()
    {
        var inspector = Path.Combine(NodeScript.ProjectDirectory, "node_modules", "@modelcontextprotocol", "inspector", "cli", "build", "cli.js");

        var tools = JsonNode.Parse(await NodeScript.RunAsync(inspector, "--cli", _url.ToString(), "--transport", "http", "--method", "tools/list"))!;
        var echo = JsonNode.Parse(await NodeScript.RunAsync(inspector, "--cli", _url.ToString(), "--transport", "http",
            "--method", "tools/call", "--tool-name", "echo", "--tool-arg", "message=from the Inspector"))!;

        Assert.Contains(tools["tools"]!.AsArray(), t => t!["name"]!.GetValue<string>() == "echo");
        Assert.Equal("Echo: from the Inspector", echo["content"]![0]!["text"]!.GetValue<string>());
        Assert.Contains("npx @modelcontextprotocol/inspector --cli " + _url, _function.Output);
    }
}
