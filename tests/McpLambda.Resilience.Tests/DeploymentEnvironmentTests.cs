using System.Text;
using System.Text.Json.Nodes;
using McpLambda.Runtime;
using McpLambda.Runtime.EventAdapters;
using McpLambda.Runtime.Local;

namespace McpLambda.Resilience.Tests;

/// <summary>
/// The way every function starts (the generated entry point's <c>RunAsync</c>, settings read from the environment): the
/// deployment's variables for the server (<c>MCPLAMBDA_SERVER_ENV_&lt;NAME&gt;</c>) reach it. In the log collection, as
/// the function logs to stderr.
/// </summary>
[Collection(nameof(LogConfigurationCollection))]
public sealed class DeploymentEnvironmentTests
{
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
}
