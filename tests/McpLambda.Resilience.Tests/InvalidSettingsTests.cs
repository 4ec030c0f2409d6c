using System.Text.Json.Nodes;
using McpLambda.Runtime;
using McpLambda.Runtime.EventAdapters;
using McpLambda.Runtime.Local;

namespace McpLambda.Resilience.Tests;

/// <summary>
/// A setting with a value it cannot take fails the init as Lambda wants it reported (the Runtime API's init error,
/// naming the variable and the value), or with one line on stderr locally: never a crash with a stack trace, and no
/// invocation is taken. In the log collection: the failure is logged and read from stderr.
/// </summary>
[Collection(nameof(LogConfigurationCollection))]
public sealed class InvalidSettingsTests
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

    private static Func<string, string?> Variables(params (string Name, string Value)[] set)
        => name => set.FirstOrDefault(v => v.Name == name).Value;
}
