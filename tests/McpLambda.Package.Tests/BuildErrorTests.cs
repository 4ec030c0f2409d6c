using System.Text.RegularExpressions;

namespace McpLambda.Package.Tests;

/// <summary>A function project set up wrong fails its build with an error that says what to do, and writes no package.</summary>
[Collection(UserWorkspaceCollection.Name)]
public sealed class BuildErrorTests(UserWorkspace user)
{
    [Fact]
    public async Task An_npx_server_without_a_lock_file_is_a_build_error_that_says_to_run_npm_install()
    {
        var project = await user.NewFunctionAsync("NoLock", "--no-npm-install");

        var output = await BuildFailsAsync(project, "MCPL103");

        Assert.Contains("run 'npm install'", output);
    }

    [Theory]
    [InlineData("-p:McpLambdaHost=java21", "MCPL101", "provided.al2023")]
    [InlineData("-p:McpLambdaArchitecture=x86", "MCPL102", "arm64")]
    [InlineData("-p:McpLambdaHost=python3.13", "MCPL104", "pip install")]
    [InlineData("-p:McpLambdaHost=nodejs22.x -p:McpLambdaBundleNode=true", "MCPL108", "provided.al2023")]
    public async Task A_wrong_setting_is_a_build_error_that_names_the_valid_ones(string properties, string code, string advice)
    {
        var project = await user.NewFunctionAsync("WrongSetting" + code);

        var output = await BuildFailsAsync(project, code, properties.Split(' '));

        Assert.Contains(advice, output);
    }

    [Theory]
    [InlineData("npx --offline @modelcontextprotocol/server-everything", "provided.al2023", "'npx' is not on the PATH of the provided.al2023 Lambda runtime", "<McpLambdaHost>nodejs22.x</McpLambdaHost>")]
    [InlineData("python -m echo_server", "nodejs22.x", "'python' is not on the PATH of the nodejs22.x Lambda runtime", "<McpLambdaHost>python3.13</McpLambdaHost>")]
    public async Task A_server_command_the_host_does_not_have_is_a_build_error_that_names_the_fix(string server, string host, string problem, string fix)
    {
        var project = await user.NewFunctionAsync("WrongHost" + host.Replace(".", ""), "--server", server, "--host", host, "--no-npm-install");
        File.Delete(Path.Combine(project, "package.json")); // the npm server's install is not what this checks

        var output = await BuildFailsAsync(project, "MCPL010");

        Assert.Contains(problem, output);
        Assert.Contains(fix, output);
    }

    [Fact]
    public async Task A_server_folder_that_is_not_there_is_a_build_error_that_says_how_to_publish_into_it()
    {
        var project = await user.NewFunctionAsync("NoServerFolder", "--server", "server/EchoServer");

        var output = await BuildFailsAsync(project, "MCPL112");

        Assert.Contains("--self-contained -o server", output);
    }

    [Fact]
    public async Task Deployment_files_that_name_another_runtime_are_a_build_error()
    {
        var project = await user.NewFunctionAsync("Disagreeing", "--host", "nodejs22.x");
        var tools = Path.Combine(project, "aws-lambda-tools-defaults.json");
        File.WriteAllText(tools, File.ReadAllText(tools).Replace("\"nodejs22.x\"", "\"provided.al2023\""));

        Assert.Contains("\"function-runtime\": \"nodejs22.x\"", await BuildFailsAsync(project, "MCPL105"));

        File.WriteAllText(tools, File.ReadAllText(tools).Replace("\"provided.al2023\"", "\"nodejs22.x\"").Replace("AWS_LAMBDA_EXEC_WRAPPER=/var/task/bootstrap", ""));
        Assert.Contains("AWS_LAMBDA_EXEC_WRAPPER=/var/task/bootstrap", await BuildFailsAsync(project, "MCPL106"));
    }

    [Fact]
    public async Task A_function_and_a_front_door_that_disagree_on_streaming_are_a_build_error()
    {
        var project = await user.NewFunctionAsync("StreamingDisagrees", "--transport", "FunctionUrl");
        var sam = Path.Combine(project, "template.yaml");
        File.WriteAllText(sam, File.ReadAllText(sam).Replace("InvokeMode: RESPONSE_STREAM", "InvokeMode: BUFFERED"));

        Assert.Contains("InvokeMode: RESPONSE_STREAM", await BuildFailsAsync(project, "MCPL109"));

        File.WriteAllText(sam, File.ReadAllText(sam).Replace("InvokeMode: BUFFERED", "InvokeMode: RESPONSE_STREAM"));
        Assert.Contains("McpLambdaResponseStreaming", await BuildFailsAsync(project, "MCPL109", "-p:McpLambdaResponseStreaming=false"));
    }

    [Fact]
    public async Task Deployment_files_that_check_tokens_and_a_function_built_without_them_are_a_build_error()
    {
        var project = await user.NewFunctionAsync("OAuthTrimmed", "--transport", "FunctionUrl", "--auth", "oauth");

        var output = await BuildFailsAsync(project, "MCPL111", "-p:McpLambdaOAuth=false");

        Assert.Contains("template.yaml", output);
        Assert.Contains("aws-lambda-tools-defaults.json", output);
        Assert.Contains("<McpLambdaOAuth>false</McpLambdaOAuth>", output);

        // An issuer without a value checks nothing, and the files still name the variable in comments and notes.
        foreach (var file in new[] { "template.yaml", "aws-lambda-tools-defaults.json" })
        {
            var path = Path.Combine(project, file);
            File.WriteAllText(path, Regex.Replace(File.ReadAllText(path), "(MCPLAMBDA_OAUTH_ISSUER[:=] ?)[^;\"\n]+", "$1''"));
        }

        var (built, log) = await user.DotnetAsync(project, "build", "-p:McpLambdaOAuth=false");
        Assert.True(built == 0, log);
    }

    private async Task<string> BuildFailsAsync(string project, string code, params string[] properties)
    {
        var (exitCode, output) = await user.DotnetAsync(project, ["publish", "-c", "Release", .. properties]);

        Assert.NotEqual(0, exitCode);
        Assert.Contains($"error {code}:", output);
        Assert.False(Directory.Exists(Path.Combine(project, "bin", "lambda")), "no deployment package is written");
        return output;
    }
}
