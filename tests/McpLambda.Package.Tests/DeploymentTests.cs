using System.Text;
using System.Text.Json.Nodes;
using McpLambda.Resilience.Tests;
using McpLambda.Runtime.Local;
using McpLambda.Tests;

namespace McpLambda.Package.Tests;

/// <summary>
/// `dotnet publish -c Release` of a new function, the zip unzipped as Lambda unpacks it, started on each host runtime
/// under the Runtime API emulation with that runtime's PATH and no layer, answering a real event of its way in: one
/// publish per kind of server (npm, Python, C#, npm with a bundled node), each with the template's defaults but the server.
/// </summary>
[Collection(UserWorkspaceCollection.Name)]
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class DeploymentTests(UserWorkspace user)
{
    private const string EchoCall = """{"jsonrpc":"2.0","id":7,"method":"tools/call","params":{"name":"echo","arguments":{"message":"deployed"}}}""";

    private const string ToolsList = """{"jsonrpc":"2.0","id":3,"method":"tools/list"}""";

    [Fact]
    public async Task With_the_template_defaults_an_npm_server_deploys_on_nodejs22_and_answers_through_its_function_url()
    {
        var project = await user.NewFunctionAsync("Defaults");
        Assert.Contains("<McpLambdaHost>nodejs22.x</McpLambdaHost>", File.ReadAllText(Path.Combine(project, "Defaults.csproj")));
        using var deployed = await DeployedFunction.PublishAsync(user, project);
        Assert.True(Directory.Exists(Path.Combine(deployed.TaskRoot, "node_modules", "@modelcontextprotocol", "server-everything")));

        // The request state's key as the stack gives it: the template's reference, to the secret it creates, in the
        // Parameter Store emulation, with the function's role.
        var template = SamYaml.LoadYaml(Path.Combine(project, "template.yaml"));
        var stack = Intrinsics.ForStack("mcp-defaults", Guid.NewGuid());
        var secret = SamYaml.Resources(template, "AWS::SecretsManager::Secret")["RequestStateKey"];
        var variablesInTemplate = SamYaml.Map(SamYaml.Map(SamYaml.Resources(template, "AWS::Serverless::Function")["McpFunction"], "Environment"), "Variables");
        var secretName = stack.Evaluate(SamYaml.Node(secret, "Name"));
        await using var store = new LocalParameterStore();
        store.PutSecret(secretName, LocalParameterStore.GeneratedSecret());
        var variables = store.FunctionEnvironment();
        variables["MCPLAMBDA_REQUEST_STATE_KEY"] = stack.Evaluate(SamYaml.Node(variablesInTemplate, "MCPLAMBDA_REQUEST_STATE_KEY"));

        await using var lambda = RuntimeApiEmulator.Start();
        await using var function = deployed.StartAsExecWrapper(lambda, "nodejs22.x", variables);

        Assert.Contains("echo", await ToolNamesAsync(lambda));
        Assert.Equal("Echo: deployed", await CallThroughFunctionUrlAsync(lambda, EchoCall));
        Assert.Contains("started as the exec wrapper of '/var/lang/bin/node'", function.Output);
        Assert.Equal([$"/aws/reference/secretsmanager/{secretName}"], Assert.Single(store.Calls).Names);
        Assert.DoesNotContain("MCPLAMBDA_REQUEST_STATE_KEY is not set", function.Output);
    }

    [Fact]
    public async Task With_the_template_defaults_a_python_server_deploys_on_python313_and_gets_the_variables_it_is_named()
    {
        var project = await user.NewFunctionAsync("PythonDefaults", "--server", "python -m echo_server");
        Assert.Contains("<McpLambdaHost>python3.13</McpLambdaHost>", File.ReadAllText(Path.Combine(project, "PythonDefaults.csproj")));
        PythonServer.CopyInto(project);
        using var deployed = await DeployedFunction.PublishAsync(user, project);
        Assert.True(File.Exists(Path.Combine(deployed.TaskRoot, "python", "echo_server.py")));

        await using var lambda = RuntimeApiEmulator.Start();
        await using var function = deployed.StartAsExecWrapper(lambda, "python3.13", new Dictionary<string, string>
        {
            ["GITHUB_TOKEN"] = "ghp_from-the-function-0001",
            ["NOT_NAMED"] = "stays-with-the-function",
            ["MCPLAMBDA_SERVER_PASS_ENV"] = "GITHUB_TOKEN",
        });

        Assert.Equal(["echo", "env"], await ToolNamesAsync(lambda));
        Assert.Equal("Echo from Python: deployed", await CallThroughFunctionUrlAsync(lambda, EchoCall));
        Assert.Equal("ghp_from-the-function-0001", await CallThroughFunctionUrlAsync(lambda, EnvCall("GITHUB_TOKEN")));
        Assert.Equal("(unset)", await CallThroughFunctionUrlAsync(lambda, EnvCall("NOT_NAMED")));
        Assert.Equal("(unset)", await CallThroughFunctionUrlAsync(lambda, EnvCall("AWS_LAMBDA_RUNTIME_API")));
        Assert.Contains("started as the exec wrapper of '/var/lang/bin/python3.13'", function.Output);
    }

    [Fact]
    public async Task With_the_template_defaults_a_self_contained_csharp_server_deploys_on_provided_al2023_with_nothing_on_the_PATH()
    {
        var project = await user.NewFunctionAsync("CSharpDefaults", "--server", "server/EchoServer");
        Assert.Contains("<McpLambdaHost>provided.al2023</McpLambdaHost>", File.ReadAllText(Path.Combine(project, "CSharpDefaults.csproj")));
        await CSharpServer.PublishIntoAsync(user, project);
        using var deployed = await DeployedFunction.PublishAsync(user, project);
        Assert.True(File.Exists(Path.Combine(deployed.TaskRoot, "server", "EchoServer")));

        await using var lambda = RuntimeApiEmulator.Start();
        await using var function = deployed.StartAsCustomRuntime(lambda, path: "/opt/bin");

        Assert.Equal(["echo", "env"], await ToolNamesAsync(lambda));
        Assert.Equal("Echo from C#: deployed", await CallThroughFunctionUrlAsync(lambda, EchoCall));
        Assert.DoesNotContain("exec wrapper", function.Output);
    }

    [Fact]
    public async Task On_provided_al2023_a_bundled_node_runs_the_server_behind_a_streaming_rest_api_with_no_node_on_the_PATH()
    {
        var project = await user.NewFunctionAsync("BundledNode", "--host", "provided.al2023", "--transport", "ApiGateway", "--auth", "aws");
        var code = Path.Combine(project, "BundledNodeFunction.cs");
        File.WriteAllText(code, File.ReadAllText(code).Replace(
            """[McpStdioServer("npx", "--offline", "@modelcontextprotocol/server-everything")]""",
            """[McpStdioServer("node", "node_modules/@modelcontextprotocol/server-everything/dist/index.js", "stdio")]"""));
        using var deployed = await DeployedFunction.PublishAsync(user, project, "-p:McpLambdaBundleNode=true");
        Assert.True(File.GetUnixFileMode(Path.Combine(deployed.TaskRoot, "bin", "node")).HasFlag(UnixFileMode.UserExecute), "bin/node is in the package");

        await using var lambda = RuntimeApiEmulator.Start();
        await using var function = deployed.StartAsCustomRuntime(lambda, path: "/opt/bin");
        var (response, streamed) = await InvokeAsync(lambda, Fixture("apigateway-rest-tools-call.json"));

        Assert.True(streamed, "the template's REST API streams, and so does the Native AOT bootstrap");
        Assert.Equal(200, response["statusCode"]!.GetValue<int>());
        Assert.Equal("Echo: from API Gateway", JsonNode.Parse(response["body"]!.GetValue<string>())!["result"]!["content"]![0]!["text"]!.GetValue<string>());
        Assert.DoesNotContain("exec wrapper", function.Output);
    }

    private static string EnvCall(string name) => new JsonObject
    {
        ["jsonrpc"] = "2.0",
        ["id"] = 8,
        ["method"] = "tools/call",
        ["params"] = new JsonObject { ["name"] = "env", ["arguments"] = new JsonObject { ["name"] = name } },
    }.ToJsonString();

    /// <summary>A JSON-RPC request as the template's default way in delivers it: a function URL event, answered streamed.</summary>
    private static async Task<JsonNode> ThroughFunctionUrlAsync(RuntimeApiEmulator lambda, string message)
    {
        var request = Fixture("functionurl-iam-tools-list.json");
        request["body"] = message;
        request["isBase64Encoded"] = false;
        var (response, streamed) = await InvokeAsync(lambda, request);
        Assert.True(streamed, "the template's function URL streams, and so does the function");
        Assert.Equal(200, response["statusCode"]!.GetValue<int>());
        var body = response["body"]!.GetValue<string>();
        var json = body.StartsWith("event:", StringComparison.Ordinal) || body.StartsWith("data:", StringComparison.Ordinal)
            ? body.Split('\n').Last(line => line.StartsWith("data:", StringComparison.Ordinal))["data:".Length..]
            : body;
        return JsonNode.Parse(json)!;
    }

    private static async Task<string[]> ToolNamesAsync(RuntimeApiEmulator lambda)
        => [.. (await ThroughFunctionUrlAsync(lambda, ToolsList))["result"]!["tools"]!.AsArray().Select(tool => tool!["name"]!.GetValue<string>()).Order(StringComparer.Ordinal)];

    private static async Task<string> CallThroughFunctionUrlAsync(RuntimeApiEmulator lambda, string call)
        => (await ThroughFunctionUrlAsync(lambda, call))["result"]!["content"]![0]!["text"]!.GetValue<string>();

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
