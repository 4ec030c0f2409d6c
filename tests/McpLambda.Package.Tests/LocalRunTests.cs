using System.Net.Http.Json;
using System.Text.Json.Nodes;
using McpLambda.Tests;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;

namespace McpLambda.Package.Tests;

/// <summary>`dotnet new mcp-lambda` (which installs an npm server), then `dotnet run`: a new function answers a real MCP client, for every way in.</summary>
[Collection(UserWorkspaceCollection.Name)]
public sealed class LocalRunTests(UserWorkspace user)
{
    [Theory]
    [InlineData("ApiGateway")]
    [InlineData("HttpApi")]
    [InlineData("FunctionUrl")]
    [InlineData("LambdaInvoke")]
    [InlineData("BedrockAgentCoreGateway")]
    public async Task A_new_npx_function_builds_against_the_package_and_answers_with_dotnet_run(string transport)
    {
        var project = await user.NewFunctionAsync("Local" + transport, "--transport", transport);

        Assert.Equal("Echo: " + transport, await RunAndCallEchoAsync(project, transport, transport));
    }

    [Fact]
    public async Task A_python_server_on_the_python_host_finds_its_packages_locally()
    {
        var project = await user.NewFunctionAsync("LocalPython", "--server", "python -m echo_server", "--host", "python3.13", "--transport", "LambdaInvoke");
        Assert.False(File.Exists(Path.Combine(project, "package.json")), "a Python server has no npm packages to pin");
        PythonServer.CopyInto(project);

        Assert.Equal("Echo from Python: local", await RunAndCallEchoAsync(project, "LambdaInvoke", "local"));
    }

    private async Task<string> RunAndCallEchoAsync(string project, string transport, string message)
    {
        await using var function = SampleFunction.StartProcess("dotnet", ["run", "--", "--port", "0"], user.UserEnvironment, project);
        var url = await function.WaitForUrlAsync(TimeSpan.FromMinutes(4));
        return transport == "BedrockAgentCoreGateway" ? await CallThroughGatewayStandInAsync(url, message) : await CallWithMcpClientAsync(url, message);
    }

    private static async Task<string> CallWithMcpClientAsync(Uri url, string message)
    {
        await using var client = await McpClient.CreateAsync(
            new HttpClientTransport(new HttpClientTransportOptions { Endpoint = url, TransportMode = HttpTransportMode.StreamableHttp }));
        var result = await client.CallToolAsync("echo", new Dictionary<string, object?> { ["message"] = message });
        return Assert.IsType<TextContentBlock>(Assert.Single(result.Content)).Text;
    }

    /// <summary>Locally, an AgentCore target is reached as the gateway reaches it: the tool's arguments, the tool named in a header.</summary>
    private static async Task<string> CallThroughGatewayStandInAsync(Uri url, string message)
    {
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = JsonContent.Create(new JsonObject { ["message"] = message }) };
        request.Headers.Add("X-Bedrock-AgentCore-Tool-Name", "local___echo");
        using var response = await http.SendAsync(request);
        var body = (await response.Content.ReadFromJsonAsync<JsonNode>())!;
        Assert.True(response.IsSuccessStatusCode, body.ToJsonString());
        return body["content"]![0]!["text"]!.GetValue<string>();
    }
}
