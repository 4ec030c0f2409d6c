using McpLambda.Runtime.Bridge;

namespace McpLambda.Runtime.Tests.Bridge;

/// <summary>What the server's trimmed environment keeps of the function's: what binaries need, never the credentials.</summary>
public sealed class ServerEnvironmentTests
{
    private static readonly Dictionary<string, string> Lambda = new()
    {
        ["LD_LIBRARY_PATH"] = "/opt/lib:/var/lang/lib",
        ["AWS_REGION"] = "eu-west-1",
        ["AWS_DEFAULT_REGION"] = "eu-west-1",
        ["TZ"] = ":UTC",
        ["LAMBDA_TASK_ROOT"] = "/var/task",
        ["NODE_PATH"] = "/opt/nodejs/node_modules",
        ["AWS_ACCESS_KEY_ID"] = "ASIAEXAMPLE",
        ["AWS_SECRET_ACCESS_KEY"] = "secret",
        ["AWS_SESSION_TOKEN"] = "token",
        ["AWS_CONTAINER_CREDENTIALS_FULL_URI"] = "http://127.0.0.1:9001/credentials",
        ["AWS_CONTAINER_AUTHORIZATION_TOKEN"] = "authorization",
        ["AWS_LAMBDA_RUNTIME_API"] = "127.0.0.1:9001",
        ["SOME_OTHER_SETTING"] = "x",
    };

    [Fact]
    public void A_server_that_does_not_inherit_gets_what_layer_binaries_need_and_no_credentials()
    {
        var environment = StdioProcessSettings.Create(new StdioServerOptions("node", ["server.js"]), Parent).Environment;

        Assert.Equal("/opt/lib:/var/lang/lib", environment["LD_LIBRARY_PATH"]);
        Assert.Equal("eu-west-1", environment["AWS_REGION"]);
        Assert.Equal("eu-west-1", environment["AWS_DEFAULT_REGION"]);
        Assert.Equal(":UTC", environment["TZ"]);
        Assert.Equal("/var/task", environment["LAMBDA_TASK_ROOT"]);
        Assert.Equal("/opt/nodejs/node_modules", environment["NODE_PATH"]);
        foreach (var withheld in ServerEnvironment.Withheld.Append("SOME_OTHER_SETTING"))
        {
            Assert.False(environment.ContainsKey(withheld), withheld + " reached the server");
        }
    }

    [Fact]
    public void The_servers_own_settings_win_over_what_is_passed_through()
    {
        var options = new StdioServerOptions("node", ["server.js"]) { EnvironmentVariables = new Dictionary<string, string> { ["TZ"] = "Europe/Paris" } };

        Assert.Equal("Europe/Paris", StdioProcessSettings.Create(options, Parent).Environment["TZ"]);
    }

    private static string? Parent(string name) => Lambda.GetValueOrDefault(name);
}
