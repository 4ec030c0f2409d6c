using System.Text;
using System.Text.Json.Nodes;
using McpLambda.Runtime.Local;

namespace McpLambda.Package.Tests;

/// <summary>
/// `dotnet publish -c Release` of a new function, the zip unzipped as Lambda unpacks it, started on each host runtime
/// under the Runtime API emulation, answering a real event of its way in.
/// </summary>
[Collection(UserWorkspaceCollection.Name)]
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class DeploymentTests(UserWorkspace user)
{
    private const string EchoCall = """{"jsonrpc":"2.0","id":7,"method":"tools/call","params":{"name":"echo","arguments":{"message":"deployed"}}}""";

    [Fact]
    public async Task On_nodejs22_the_bootstrap_runs_as_the_exec_wrapper_and_npx_comes_from_the_runtime()
    {
        var project = await user.NewFunctionAsync("NodeHosted", "--transport", "FunctionUrl", "--host", "nodejs22.x");
        using var deployed = await DeployedFunction.PublishAsync(user, project);
        Assert.True(Directory.Exists(Path.Combine(deployed.TaskRoot, "node_modules", "@modelcontextprotocol", "server-everything")));

        await using var lambda = RuntimeApiEmulator.Start();
        await using var function = deployed.StartAsExecWrapper(lambda, "nodejs22.x");
        var request = Fixture("functionurl-iam-tools-list.json");
        request["body"] = EchoCall;
        request["isBase64Encoded"] = false;

        var (response, streamed) = await InvokeAsync(lambda, request);

        Assert.True(streamed, "the template's function URL streams, and so does the function");
        Assert.Equal(200, response["statusCode"]!.GetValue<int>());
        Assert.Equal("Echo: deployed", JsonNode.Parse(response["body"]!.GetValue<string>())!["result"]!["content"]![0]!["text"]!.GetValue<string>());
        Assert.Contains("started as the exec wrapper of '/var/lang/bin/node'", function.Output);
    }

    [Fact]
    public async Task On_provided_al2023_the_bootstrap_is_the_runtime()
    {
        var project = await user.NewFunctionAsync("CustomRuntime", "--transport", "ApiGateway");
        using var deployed = await DeployedFunction.PublishAsync(user, project);

        await using var lambda = RuntimeApiEmulator.Start();
        await using var function = deployed.StartAsCustomRuntime(lambda);
        var (response, streamed) = await InvokeAsync(lambda, Fixture("apigateway-rest-tools-call.json"));

        Assert.True(streamed, "the template's REST API streams, and so does the Native AOT bootstrap");
        Assert.Equal(200, response["statusCode"]!.GetValue<int>());
        Assert.Equal("Echo: from API Gateway", JsonNode.Parse(response["body"]!.GetValue<string>())!["result"]!["content"]![0]!["text"]!.GetValue<string>());
        Assert.DoesNotContain("exec wrapper", function.Output);
    }

    [Fact]
    public async Task On_provided_al2023_a_bundled_node_runs_the_server_with_no_node_on_the_PATH()
    {
        var project = await user.NewFunctionAsync("BundledNode", "--transport", "LambdaInvoke");
        var code = Path.Combine(project, "BundledNodeFunction.cs");
        File.WriteAllText(code, File.ReadAllText(code).Replace(
            """[McpStdioServer("npx", "--offline", "@modelcontextprotocol/server-everything")]""",
            """[McpStdioServer("node", "node_modules/@modelcontextprotocol/server-everything/dist/index.js", "stdio")]"""));
        using var deployed = await DeployedFunction.PublishAsync(user, project, "-p:McpLambdaBundleNode=true");
        Assert.True(File.GetUnixFileMode(Path.Combine(deployed.TaskRoot, "bin", "node")).HasFlag(UnixFileMode.UserExecute), "bin/node is in the package");

        await using var lambda = RuntimeApiEmulator.Start();
        await using var function = deployed.StartAsCustomRuntime(lambda, path: "/opt/bin");
        var (response, _) = await InvokeAsync(lambda, JsonNode.Parse(EchoCall)!);

        Assert.Equal("Echo: deployed", response["result"]!["content"]![0]!["text"]!.GetValue<string>());
    }

    [Fact]
    public async Task On_python313_the_server_gets_python_and_the_packages_shipped_in_the_zip()
    {
        var project = await user.NewFunctionAsync("PythonHosted", "--server", "python -m echo_server", "--host", "python3.13", "--transport", "LambdaInvoke");
        PythonServer.CopyInto(project);
        using var deployed = await DeployedFunction.PublishAsync(user, project);
        Assert.True(File.Exists(Path.Combine(deployed.TaskRoot, "python", "echo_server.py")));

        await using var lambda = RuntimeApiEmulator.Start();
        await using var function = deployed.StartAsExecWrapper(lambda, "python3.13");
        var (response, _) = await InvokeAsync(lambda, JsonNode.Parse(EchoCall)!);

        Assert.Equal("Echo from Python: deployed", response["result"]!["content"]![0]!["text"]!.GetValue<string>());
        Assert.Contains("started as the exec wrapper of '/var/lang/bin/python3.13'", function.Output);
    }

    /// <summary>The function's response event; a streamed one is read back into the same shape (its prelude and body).</summary>
    private static async Task<(JsonNode Response, bool Streamed)> InvokeAsync(RuntimeApiEmulator lambda, JsonNode request)
    {
        var result = await lambda.InvokeAsync(Encoding.UTF8.GetBytes(request.ToJsonString())).WaitAsync(TimeSpan.FromSeconds(90));
        Assert.Null(result.FunctionError);
        if (result.Streamed is not { } streamed)
        {
            return (JsonNode.Parse(result.Payload)!, false);
        }

        var (prelude, start) = (await streamed.ReadPreludeAsync(CancellationToken.None))!.Value;
        using var body = new MemoryStream();
        body.Write(start);
        await foreach (var chunk in streamed.Chunks.ReadAllAsync())
        {
            body.Write(chunk);
        }

        Assert.Null((await streamed.End).ErrorType);
        var response = JsonNode.Parse(prelude)!;
        response["body"] = Encoding.UTF8.GetString(body.ToArray());
        return (response, true);
    }

    private static JsonNode Fixture(string name) => JsonNode.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fixtures", name)))!;
}
