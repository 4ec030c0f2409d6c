using System.Text;
using System.Text.Json.Nodes;
using McpLambda.Runtime;
using McpLambda.Runtime.EventAdapters;
using McpLambda.Runtime.Local;

namespace McpLambda.Resilience.Tests;

/// <summary>
/// The settings the way every function starts reads from its environment (the generated entry point's <c>RunAsync</c>):
/// the deployment's variables for the server (<c>MCPLAMBDA_SERVER_ENV_&lt;NAME&gt;</c>) reach it, and a setting with a
/// value it cannot take fails the init as Lambda wants it reported (the Runtime API's init error, naming the variable
/// and the value), or with one line on stderr locally: never a crash with a stack trace, and no invocation is taken. In
/// the log collection: the function logs, and failures are read from stderr.
/// </summary>
[Collection(nameof(LogConfigurationCollection))]
public sealed class EnvironmentSettingsTests
{
    [Fact]
    public async Task An_invalid_setting_under_lambda_is_an_init_error_naming_it()
    {
        await using var lambda = RuntimeApiEmulator.Start();
        var variables = Variables(("AWS_LAMBDA_RUNTIME_API", lambda.Address), ("MCPLAMBDA_CACHE_SCOPE", "everyone"));

        var exitCode = await McpLambdaFunction.RunAsync([], MisbehavingServer.Options(), LambdaInvokeEventAdapter.Instance, variables, [], CancellationToken.None)
            .WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(1, exitCode);
        var initError = JsonNode.Parse(await lambda.InitError.WaitAsync(TimeSpan.FromSeconds(5)))!;
        Assert.Equal("Runtime.InvalidSettings", initError["errorType"]!.GetValue<string>());
        Assert.Equal("the function's settings are invalid: MCPLAMBDA_CACHE_SCOPE must be private or public, not 'everyone'.", initError["errorMessage"]!.GetValue<string>());
        Assert.False(lambda.FirstNext.IsCompleted);
    }

    [Fact]
    public async Task An_invalid_setting_in_local_mode_is_one_line_on_stderr()
    {
        using var stderr = new StderrCapture();

        var exitCode = await McpLambdaFunction.RunAsync(["--port", "0"], MisbehavingServer.Options(), LambdaInvokeEventAdapter.Instance, Variables(("MCPLAMBDA_SERVER_LIFETIME", "Forever")), [], CancellationToken.None)
            .WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(1, exitCode);
        Assert.Contains("The function could not initialize: the function's settings are invalid: MCPLAMBDA_SERVER_LIFETIME must be Warm or PerInvocation, not 'Forever'.", stderr.Text);
        Assert.DoesNotContain("   at ", stderr.Text);
    }

    [Fact]
    public async Task The_deployments_server_variables_reach_the_server()
    {
        await using var lambda = RuntimeApiEmulator.Start();
        var environment = new Dictionary<string, string>
        {
            ["AWS_LAMBDA_RUNTIME_API"] = lambda.Address,
            ["MCPLAMBDA_SERVER_ENV_GREETING"] = "from the deployment",
        };
        using var stop = new CancellationTokenSource();

        var function = McpLambdaFunction.RunAsync([], MisbehavingServer.Options(), LambdaInvokeEventAdapter.Instance, environment.GetValueOrDefault, environment.Keys, stop.Token);

        Assert.Equal("from the deployment", await EnvAsync(lambda, "GREETING"));
        await stop.CancelAsync();
        Assert.Equal(0, await function.WaitAsync(TimeSpan.FromSeconds(10)));
    }

    private static async Task<string> EnvAsync(RuntimeApiEmulator lambda, string variable)
    {
        var call = new JsonObject
        {
            ["jsonrpc"] = "2.0",
            ["id"] = 1,
            ["method"] = "tools/call",
            ["params"] = new JsonObject { ["name"] = "env", ["arguments"] = new JsonObject { ["name"] = variable } },
        };
        var result = await lambda.InvokeAsync(Encoding.UTF8.GetBytes(call.ToJsonString())).WaitAsync(TimeSpan.FromSeconds(30));
        return JsonNode.Parse(result.Payload)!["result"]!["content"]![0]!["text"]!.GetValue<string>();
    }

    private static Func<string, string?> Variables(params (string Name, string Value)[] set)
        => name => set.FirstOrDefault(v => v.Name == name).Value;
}
