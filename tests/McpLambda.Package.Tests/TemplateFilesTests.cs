using System.Text.Json.Nodes;
using System.Xml.Linq;
using McpLambda.Tests;
using YamlDotNet.RepresentationModel;
using static McpLambda.Tests.SamYaml;

namespace McpLambda.Package.Tests;

/// <summary>
/// What `dotnet new mcp-lambda` writes for every way in, host and architecture: the SAM template, the
/// Amazon.Lambda.Tools defaults and the project file agree on handler, runtime, architecture, environment, package and way in.
/// </summary>
[Collection(UserWorkspaceCollection.Name)]
public sealed class TemplateFilesTests(UserWorkspace user)
{
    private static readonly string[] Transports = ["ApiGateway", "HttpApi", "FunctionUrl", "BedrockAgentCoreGateway", "LambdaInvoke"];
    private static readonly string[] Hosts = ["provided.al2023", "nodejs22.x", "python3.13"];

    public static TheoryData<string, string, string> Combinations()
    {
        var data = new TheoryData<string, string, string>();
        var architectures = new[] { "x86_64", "arm64" };
        var i = 0;
        foreach (var transport in Transports)
        {
            foreach (var host in Hosts)
            {
                data.Add(transport, host, architectures[i++ % 2]);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Combinations))]
    public async Task The_SAM_template_the_Lambda_tools_defaults_and_the_project_agree(string transport, string host, string architecture)
    {
        var name = $"Files{transport}{host.Replace(".", "")}";
        var project = await user.NewFunctionAsync(name, "--transport", transport, "--host", host, "--architecture", architecture, "--auth", "aws", "--no-npm-install");

        var tools = JsonNode.Parse(File.ReadAllText(Path.Combine(project, "aws-lambda-tools-defaults.json")))!.AsObject();
        var sam = LoadYaml(Path.Combine(project, "template.yaml"));
        var function = Map(Map(Map(sam, "Resources"), "McpFunction"), "Properties");
        var msbuild = XDocument.Load(Path.Combine(project, name + ".csproj")).Descendants().ToDictionary(e => e.Name.LocalName, e => e.Value, StringComparer.Ordinal);

        Assert.Equal("AWS::Serverless::Function", Scalar(Map(Map(sam, "Resources"), "McpFunction"), "Type"));
        Assert.Equal("bootstrap", Scalar(function, "Handler"));
        Assert.Equal("bootstrap", (string?)tools["function-handler"]);
        Assert.Equal(host, Scalar(function, "Runtime"));
        Assert.Equal(host, (string?)tools["function-runtime"]);
        Assert.Equal(host, msbuild["McpLambdaHost"]);
        Assert.Equal(architecture, Assert.IsType<YamlScalarNode>(Assert.Single(((YamlSequenceNode)function.Children["Architectures"]).Children)).Value);
        Assert.Equal(architecture, (string?)tools["function-architecture"]);
        Assert.Equal(architecture == "arm64" ? "arm64" : "x64", msbuild["McpLambdaArchitecture"]);

        // Both deploy the zip that `dotnet publish -c Release` writes.
        var package = $"bin/lambda/{name}{(architecture == "arm64" ? "-arm64" : "")}.zip";
        Assert.Equal(package, Scalar(function, "CodeUri"));
        Assert.Equal(package, (string?)tools["package"]);

        // One environment: the exec wrapper on a managed host; on an HTTP way in, no web page may call. The stack's
        // request-state key is SAM's alone: the tools file deploys a function, not the secret it would name.
        var stack = Intrinsics.ForStack("files-stack", Guid.NewGuid());
        var samEnvironment = function.Children.TryGetValue(new YamlScalarNode("Environment"), out var env)
            ? Map((YamlMappingNode)env, "Variables").Children.ToDictionary(p => ((YamlScalarNode)p.Key).Value!, p => stack.Evaluate(p.Value))
            : [];
        Assert.StartsWith("ssm:/aws/reference/secretsmanager/files-stack-request-state-key-", samEnvironment["MCPLAMBDA_REQUEST_STATE_KEY"]);
        samEnvironment.Remove("MCPLAMBDA_REQUEST_STATE_KEY");
        var toolsEnvironment = ((string?)tools["environment-variables"] ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries)
            .Select(pair => pair.Split('=', 2)).ToDictionary(kv => kv[0], kv => kv[1]);
        Assert.Equal(samEnvironment.OrderBy(p => p.Key), toolsEnvironment.OrderBy(p => p.Key));
        var expectedEnvironment = new Dictionary<string, string>();
        if (host != "provided.al2023")
        {
            expectedEnvironment["AWS_LAMBDA_EXEC_WRAPPER"] = "/var/task/bootstrap";
        }

        if (transport is "ApiGateway" or "HttpApi" or "FunctionUrl")
        {
            // Web pages (which send an Origin) are refused; MCP clients outside browsers are served.
            expectedEnvironment["MCPLAMBDA_ALLOWED_ORIGINS"] = "none";
        }

        Assert.Equal(expectedEnvironment.OrderBy(p => p.Key), samEnvironment.OrderBy(p => p.Key));

        // The way in.
        var code = File.ReadAllText(Path.Combine(project, name + "Function.cs"));
        Assert.Contains($"[McpTransport(McpTransport.{transport})]", code);
        var hasUrl = function.Children.ContainsKey(new YamlScalarNode("FunctionUrlConfig"));
        Assert.Equal(transport == "FunctionUrl", hasUrl);
        Assert.Equal(transport == "FunctionUrl", (bool?)tools["function-url-enable"] ?? false);
        if (hasUrl)
        {
            Assert.Equal("AWS_IAM", Scalar(Map(function, "FunctionUrlConfig"), "AuthType"));
            Assert.Equal("AWS_IAM", (string?)tools["function-url-auth"]);
        }

        // Function URLs and REST APIs stream by default, and the project says so too (the build checks they agree).
        var streams = transport is "FunctionUrl" or "ApiGateway";
        Assert.Equal(streams ? "true" : null, msbuild.GetValueOrDefault("McpLambdaResponseStreaming"));
        if (hasUrl)
        {
            Assert.Equal("RESPONSE_STREAM", Scalar(Map(function, "FunctionUrlConfig"), "InvokeMode"));
        }

        var eventTypes = function.Children.TryGetValue(new YamlScalarNode("Events"), out var events)
            ? ((YamlMappingNode)events).Children.Values.Select(e => Scalar((YamlMappingNode)e, "Type")).ToArray()
            : [];
        string[] expectedEvents = transport switch { "HttpApi" => ["HttpApi"], _ => [] };
        Assert.Equal(expectedEvents, eventTypes);
        if (transport == "ApiGateway")
        {
            AssertStreamingRestApi(sam);
        }

        // An npx server is pinned in package.json; the C# attribute carries the same command line.
        Assert.Contains(""""[McpStdioServer("npx", "--offline", "@modelcontextprotocol/server-everything"""", code);
        var npm = JsonNode.Parse(File.ReadAllText(Path.Combine(project, "package.json")))!;
        Assert.Equal("2026.8.31", (string?)npm["dependencies"]!["@modelcontextprotocol/server-everything"]);
    }

    [Theory]
    [InlineData("npx --offline @modelcontextprotocol/server-everything", "nodejs22.x", null)]
    [InlineData("node server.js", "nodejs22.x", null)]
    [InlineData("python -m echo_server", "python3.13", null)]
    [InlineData("uvx mcp-server-time", "python3.13", null)]
    [InlineData("server/EchoServer --stdio", "provided.al2023", "server")]
    [InlineData("./tools/mcp-server", "provided.al2023", "tools")]
    public async Task The_defaults_pick_the_runtime_that_has_the_servers_command_and_a_function_url_with_a_cognito_user_pool(string server, string host, string? shipped)
    {
        var name = "Default" + Math.Abs(StringComparer.Ordinal.GetHashCode(server)).ToString(System.Globalization.CultureInfo.InvariantCulture);
        var project = await user.NewFunctionAsync(name, "--server", server, "--no-npm-install");

        var tools = JsonNode.Parse(File.ReadAllText(Path.Combine(project, "aws-lambda-tools-defaults.json")))!.AsObject();
        var sam = LoadYaml(Path.Combine(project, "template.yaml"));
        var resources = Map(sam, "Resources");
        var function = Map(Map(resources, "McpFunction"), "Properties");
        var csproj = File.ReadAllText(Path.Combine(project, name + ".csproj"));
        Assert.Equal(host, Scalar(function, "Runtime"));
        Assert.Equal(host, (string?)tools["function-runtime"]);
        Assert.Contains($"<McpLambdaHost>{host}</McpLambdaHost>", csproj);
        var variables = Map(Map(function, "Environment"), "Variables");
        Assert.Equal(host != "provided.al2023", variables.Children.ContainsKey(new YamlScalarNode("AWS_LAMBDA_EXEC_WRAPPER")));
        Assert.Equal(host != "provided.al2023", ((string?)tools["environment-variables"])!.Contains("AWS_LAMBDA_EXEC_WRAPPER=/var/task/bootstrap", StringComparison.Ordinal));
        if (shipped is null)
        {
            Assert.DoesNotContain("McpLambdaServerFile", csproj);
        }
        else
        {
            Assert.Contains($"<McpLambdaServerFile Include=\"{shipped}\" />", csproj);
        }

        // The way in: a streaming function URL that MCP clients reach with OAuth tokens from the user pool the template creates.
        Assert.Contains("[McpTransport(McpTransport.FunctionUrl)]", File.ReadAllText(Path.Combine(project, name + "Function.cs")));
        Assert.Equal("NONE", Scalar(Map(function, "FunctionUrlConfig"), "AuthType"));
        Assert.Equal("RESPONSE_STREAM", Scalar(Map(function, "FunctionUrlConfig"), "InvokeMode"));
        Assert.Equal("AWS::Cognito::UserPool", Scalar(Map(resources, "McpUserPool"), "Type"));
        Assert.True(variables.Children.ContainsKey(new YamlScalarNode("MCPLAMBDA_OAUTH_ISSUER")));
        Assert.False(sam.Children.ContainsKey(new YamlScalarNode("Parameters")), "nothing to fill in at deployment");
    }

    [Fact]
    public async Task Without_streaming_a_rest_api_is_a_plain_proxy_event_with_its_authorizer()
    {
        var project = await user.NewFunctionAsync("FilesBufferedRest", "--transport", "ApiGateway", "--streaming", "false", "--auth", "aws", "--no-npm-install");

        var sam = LoadYaml(Path.Combine(project, "template.yaml"));
        var function = Map(Map(Map(sam, "Resources"), "McpFunction"), "Properties");
        var api = Map(Map(Map(sam, "Resources"), "McpApi"), "Properties");
        Assert.Equal("Api", Scalar(Map(Map(function, "Events"), "Mcp"), "Type"));
        Assert.Equal("McpAuthorizer", Scalar(Map(api, "Auth"), "DefaultAuthorizer"));
        Assert.DoesNotContain("McpLambdaResponseStreaming", File.ReadAllText(Path.Combine(project, "FilesBufferedRest.csproj")));
    }

    [Fact]
    public async Task With_the_relay_the_template_creates_a_table_with_a_ttl_and_grants_the_function_three_item_actions_on_it()
    {
        var project = await user.NewFunctionAsync("FilesRelay", "--transport", "FunctionUrl", "--relay", "true", "--no-npm-install");

        var sam = LoadYaml(Path.Combine(project, "template.yaml"));
        var resources = Map(sam, "Resources");
        var table = Map(Map(resources, "RelayTable"), "Properties");
        Assert.Equal("expiresAt", Scalar(Map(table, "TimeToLiveSpecification"), "AttributeName"));
        Assert.Equal("PAY_PER_REQUEST", Scalar(table, "BillingMode"));
        var function = Map(Map(resources, "McpFunction"), "Properties");
        var variables = Map(Map(function, "Environment"), "Variables");
        Assert.Equal("RelayTable", Scalar(variables, "MCPLAMBDA_RELAY_TABLE"));
        var policy = (YamlMappingNode)((YamlSequenceNode)function.Children["Policies"]).Children[0];
        var statement = (YamlMappingNode)((YamlSequenceNode)policy.Children["Statement"]).Children[0];
        Assert.Equal(["dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:DeleteItem"], ((YamlSequenceNode)statement.Children["Action"]).Children.Select(a => ((YamlScalarNode)a).Value));
        Assert.Equal("RelayTable.Arn", Scalar(statement, "Resource"));
        Assert.Contains("<McpLambdaDynamoDbRelay>true</McpLambdaDynamoDbRelay>", File.ReadAllText(Path.Combine(project, "FilesRelay.csproj")));
    }

    /// <summary>A REST API whose Lambda proxy integration streams, behind the authorizer to fill in.</summary>
    private static void AssertStreamingRestApi(YamlMappingNode sam)
    {
        var resources = Map(sam, "Resources");
        var body = Map(Map(Map(resources, "McpApi"), "Properties"), "DefinitionBody");
        var method = Map(Map(Map(body, "paths"), "/mcp"), "x-amazon-apigateway-any-method");
        var integration = Map(method, "x-amazon-apigateway-integration");
        Assert.Equal("aws_proxy", Scalar(integration, "type"));
        Assert.Equal("STREAM", Scalar(integration, "responseTransferMode"));
        Assert.Contains("/2021-11-15/functions/${McpFunction.Arn}/response-streaming-invocations", Scalar(integration, "uri")!);
        var authorizer = Map(Map(Map(Map(body, "components"), "securitySchemes"), "McpAuthorizer"), "x-amazon-apigateway-authorizer");
        Assert.Contains("${AuthorizerFunctionArn}", Scalar(authorizer, "authorizerUri")!);
        Assert.True(Map(sam, "Parameters").Children.ContainsKey(new YamlScalarNode("AuthorizerFunctionArn")), "the authorizer is a parameter to fill in");
        Assert.Equal("apigateway.amazonaws.com", Scalar(Map(Map(resources, "McpApiInvokesFunction"), "Properties"), "Principal"));
        Assert.Equal("apigateway.amazonaws.com", Scalar(Map(Map(resources, "McpApiInvokesAuthorizer"), "Properties"), "Principal"));
    }

    [Theory]
    [InlineData("--transport", "Carrier")]
    [InlineData("--host", "java21")]
    [InlineData("--architecture", "x86")]
    public async Task An_unknown_way_in_host_or_architecture_is_refused_with_the_valid_choices(string option, string value)
    {
        var (exitCode, output) = await user.DotnetAsync(user.ProjectsDirectory, "new", "mcp-lambda", "-n", "Refused", option, value);

        Assert.NotEqual(0, exitCode);
        Assert.Contains(value, output);
        Assert.Contains(option switch { "--transport" => "FunctionUrl", "--host" => "nodejs22.x", _ => "arm64" }, output);
        Assert.False(Directory.Exists(Path.Combine(user.ProjectsDirectory, "Refused")), "nothing is created");
    }

    [Fact]
    public async Task Another_npx_server_is_pinned_by_its_own_package_name()
    {
        var project = await user.NewFunctionAsync("OtherServer", "--server", "npx -y @scope/weather-server@1.2.3 --units metric", "--server-version", "1.2.3", "--no-npm-install");

        Assert.Contains("""[McpStdioServer("npx", "-y", "@scope/weather-server@1.2.3", "--units", "metric")]""", File.ReadAllText(Path.Combine(project, "OtherServerFunction.cs")));
        Assert.Equal("1.2.3", (string?)JsonNode.Parse(File.ReadAllText(Path.Combine(project, "package.json")))!["dependencies"]!["@scope/weather-server"]);
    }

    [Fact]
    public async Task Dotnet_new_installs_an_npm_server_and_has_nothing_to_run_for_other_servers()
    {
        var project = await user.NewFunctionAsync("Installed");

        Assert.True(File.Exists(Path.Combine(project, "package-lock.json")), "npm install wrote the lock the build installs from");
        Assert.True(Directory.Exists(Path.Combine(project, "node_modules", "@modelcontextprotocol", "server-everything")));

        // A dry run lists the post actions it would take, and asks nothing.
        Assert.Contains("npm install", await DryRunAsync());
        Assert.DoesNotContain("npm install", await DryRunAsync("--no-npm-install"));
        Assert.DoesNotContain("npm install", await DryRunAsync("--server", "python -m echo_server", "--host", "python3.13"));
    }

    private async Task<string> DryRunAsync(params string[] options)
    {
        var (exitCode, output) = await user.DotnetAsync(user.ProjectsDirectory, ["new", "mcp-lambda", "-n", "DryRun", "--dry-run", "--allow-scripts", "no", .. options]);
        Assert.True(exitCode == 0, output);
        return output;
    }
}
