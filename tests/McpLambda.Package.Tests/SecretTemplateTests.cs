using System.Text.Json.Nodes;
using McpLambda.Tests;
using YamlDotNet.RepresentationModel;

namespace McpLambda.Package.Tests;

/// <summary>
/// <c>dotnet new mcp-lambda --secret NAME=ssm:…,…</c>: the references in both deployment files, the build switch, and in
/// template.yaml a grant of <c>ssm:GetParameters</c> on exactly those parameters (decryption only through Systems Manager,
/// and a Secrets Manager secret's own permission); MCPL110 when the switch is missing.
/// </summary>
[Collection(UserWorkspaceCollection.Name)]
public sealed class SecretTemplateTests(UserWorkspace user)
{
    private const string Partition = "arn:${AWS::Partition}";

    [Fact]
    public async Task The_secret_option_writes_the_references_and_grants_GetParameters_on_exactly_those_parameters()
    {
        var project = await user.NewFunctionAsync("FilesSecrets", "--transport", "LambdaInvoke", "--server", "node server.js", "--state-key", "false",
            "--secret", "GITHUB_TOKEN=ssm:/mcp/github-token, DATABASE = ssm:/aws/reference/secretsmanager/prod/db");

        var function = Function(project);
        var expected = new Dictionary<string, string>
        {
            ["MCPLAMBDA_SERVER_ENV_GITHUB_TOKEN"] = "ssm:/mcp/github-token",
            ["MCPLAMBDA_SERVER_ENV_DATABASE"] = "ssm:/aws/reference/secretsmanager/prod/db",
            ["AWS_LAMBDA_EXEC_WRAPPER"] = "/var/task/bootstrap", // a node server runs on nodejs22.x
        };
        Assert.Equal(expected.OrderBy(v => v.Key), SamVariables(function).OrderBy(v => v.Key));
        Assert.Equal(expected.OrderBy(v => v.Key), ToolsVariables(project).OrderBy(v => v.Key));
        Assert.Contains("<McpLambdaSecrets>true</McpLambdaSecrets>", File.ReadAllText(Path.Combine(project, "FilesSecrets.csproj")));

        var statements = Statements(function);
        Assert.Equal(3, statements.Count);
        var get = Statement(statements, "ssm:GetParameters");
        Assert.Equal(
            [
                $"{Partition}:ssm:${{AWS::Region}}:${{AWS::AccountId}}:parameter/mcp/github-token",
                $"{Partition}:ssm:${{AWS::Region}}:${{AWS::AccountId}}:parameter/aws/reference/secretsmanager/prod/db",
            ],
            Resources(get));
        var decrypt = Statement(statements, "kms:Decrypt");
        var viaService = (YamlSequenceNode)Map(Map(decrypt, "Condition"), "StringEquals").Children[new YamlScalarNode("kms:ViaService")];
        Assert.Equal(["ssm.${AWS::Region}.${AWS::URLSuffix}", "secretsmanager.${AWS::Region}.${AWS::URLSuffix}"], viaService.Children.Select(s => ((YamlScalarNode)s).Value));
        Assert.Equal([$"{Partition}:secretsmanager:${{AWS::Region}}:${{AWS::AccountId}}:secret:prod/db-??????"], Resources(Statement(statements, "secretsmanager:GetSecretValue")));
    }

    [Fact]
    public async Task Parameter_Store_references_alone_get_no_Secrets_Manager_grant_and_a_selector_is_not_part_of_the_resource()
    {
        var project = await user.NewFunctionAsync("FilesParameters", "--transport", "FunctionUrl", "--server", "node server.js", "--state-key", "false", "--secret", "TOKEN=ssm:/mcp/token:3");

        var function = Function(project);
        Assert.Equal("none", SamVariables(function)["MCPLAMBDA_ALLOWED_ORIGINS"]);
        Assert.Equal("ssm:/mcp/token:3", SamVariables(function)["MCPLAMBDA_SERVER_ENV_TOKEN"]);
        var statements = Statements(function);
        Assert.Equal(["ssm:GetParameters", "kms:Decrypt"], statements.Select(s => ((YamlScalarNode)s.Children[new YamlScalarNode("Action")]).Value));
        Assert.Equal([$"{Partition}:ssm:${{AWS::Region}}:${{AWS::AccountId}}:parameter/mcp/token"], Resources(Statement(statements, "ssm:GetParameters")));
    }

    [Fact]
    public async Task Without_secrets_or_the_state_key_nothing_is_granted_and_the_build_leaves_the_client_out()
    {
        var project = await user.NewFunctionAsync("FilesNoSecrets", "--transport", "LambdaInvoke", "--server", "node server.js", "--state-key", "false");

        var function = Function(project);
        Assert.False(function.Children.ContainsKey(new YamlScalarNode("Policies")));
        Assert.Equal(["AWS_LAMBDA_EXEC_WRAPPER"], SamVariables(function).Keys);
        Assert.DoesNotContain("McpLambdaSecrets", File.ReadAllText(Path.Combine(project, "FilesNoSecrets.csproj")));
    }

    [Fact]
    public async Task By_default_the_request_state_key_is_a_generated_secret_every_environment_reads_and_only_that_one_is_granted()
    {
        var project = await user.NewFunctionAsync("FilesStateKey", "--transport", "LambdaInvoke", "--server", "node server.js");

        var sam = Template(project);
        var function = Map(Map(Map(sam, "Resources"), "McpFunction"), "Properties");
        var secret = Map(Map(sam, "Resources"), "RequestStateKey");
        Assert.Equal("AWS::SecretsManager::Secret", ((YamlScalarNode)secret.Children[new YamlScalarNode("Type")]).Value);
        var generate = Map(Map(secret, "Properties"), "GenerateSecretString");
        Assert.Equal("64", ((YamlScalarNode)generate.Children[new YamlScalarNode("PasswordLength")]).Value);
        Assert.Equal("true", ((YamlScalarNode)generate.Children[new YamlScalarNode("ExcludePunctuation")]).Value);

        // The variable, the secret's name and the granted parameter name one secret, the stack's, with its id.
        var stack = Intrinsics.ForStack("mcp-stack", Guid.NewGuid());
        var name = stack.Evaluate(Map(secret, "Properties").Children[new YamlScalarNode("Name")]);
        Assert.Matches("^mcp-stack-request-state-key-[0-9a-f-]{36}$", name);
        Assert.Equal($"ssm:/aws/reference/secretsmanager/{name}", stack.Evaluate(Map(Map(function, "Environment"), "Variables").Children[new YamlScalarNode("MCPLAMBDA_REQUEST_STATE_KEY")]));
        Assert.NotEqual(name, Intrinsics.ForStack("mcp-stack", Guid.NewGuid()).Evaluate(Map(secret, "Properties").Children[new YamlScalarNode("Name")]));

        var statements = Statements(function);
        Assert.Equal(["ssm:GetParameters", "secretsmanager:GetSecretValue"], statements.Select(s => ((YamlScalarNode)s.Children[new YamlScalarNode("Action")]).Value));
        Assert.Equal($"arn:aws:ssm:us-east-1:123456789012:parameter/aws/reference/secretsmanager/{name}", stack.Evaluate(Statement(statements, "ssm:GetParameters").Children[new YamlScalarNode("Resource")]));
        var secretResource = (YamlScalarNode)Statement(statements, "secretsmanager:GetSecretValue").Children[new YamlScalarNode("Resource")];
        Assert.Equal(("!Ref", "RequestStateKey"), (secretResource.Tag.Value, secretResource.Value));
        Assert.Contains("<McpLambdaSecrets>true</McpLambdaSecrets>", File.ReadAllText(Path.Combine(project, "FilesStateKey.csproj")));
    }
    [Fact]
    public async Task Deployment_files_with_references_and_a_build_without_secrets_are_MCPL110()
    {
        var project = await user.NewFunctionAsync("SecretsSwitchMissing", "--transport", "LambdaInvoke", "--server", "node server.js", "--secret", "TOKEN=ssm:/mcp/token");
        var csproj = Path.Combine(project, "SecretsSwitchMissing.csproj");
        File.WriteAllText(csproj, File.ReadAllText(csproj).Replace("<McpLambdaSecrets>true</McpLambdaSecrets>", ""));

        var (exitCode, output) = await user.DotnetAsync(project, "build");

        Assert.NotEqual(0, exitCode);
        Assert.Contains("error MCPL110:", output);
        Assert.Contains("<McpLambdaSecrets>true</McpLambdaSecrets>", output);
    }

    private static YamlMappingNode Function(string project) => Map(Map(Map(Template(project), "Resources"), "McpFunction"), "Properties");

    private static YamlMappingNode Template(string project)
    {
        var stream = new YamlStream();
        using (var reader = new StreamReader(Path.Combine(project, "template.yaml")))
        {
            stream.Load(reader);
        }

        return (YamlMappingNode)stream.Documents.Single().RootNode;
    }

    private static Dictionary<string, string> SamVariables(YamlMappingNode function)
        => Map(Map(function, "Environment"), "Variables").Children.ToDictionary(p => ((YamlScalarNode)p.Key).Value!, p => ((YamlScalarNode)p.Value).Value!);

    private static Dictionary<string, string> ToolsVariables(string project)
        => ((string?)JsonNode.Parse(File.ReadAllText(Path.Combine(project, "aws-lambda-tools-defaults.json")))!["environment-variables"] ?? "")
            .Split(';', StringSplitOptions.RemoveEmptyEntries).Select(pair => pair.Split('=', 2)).ToDictionary(kv => kv[0], kv => kv[1]);

    /// <summary>Every statement of every inline policy.</summary>
    private static List<YamlMappingNode> Statements(YamlMappingNode function)
        => [.. ((YamlSequenceNode)function.Children[new YamlScalarNode("Policies")]).Children
            .SelectMany(policy => ((YamlSequenceNode)((YamlMappingNode)policy).Children[new YamlScalarNode("Statement")]).Children)
            .Cast<YamlMappingNode>()];

    private static YamlMappingNode Statement(List<YamlMappingNode> statements, string action)
        => Assert.Single(statements, s => s.Children[new YamlScalarNode("Action")] is YamlScalarNode { Value: var a } && a == action);

    /// <summary>A statement's resources, each a <c>!Sub</c> of an ARN.</summary>
    private static IEnumerable<string?> Resources(YamlMappingNode statement)
        => ((YamlSequenceNode)statement.Children[new YamlScalarNode("Resource")]).Children.Cast<YamlScalarNode>().Select(r =>
        {
            Assert.Equal("!Sub", r.Tag.Value);
            return r.Value;
        });

    private static YamlMappingNode Map(YamlMappingNode node, string key) => (YamlMappingNode)node.Children[new YamlScalarNode(key)];
}
