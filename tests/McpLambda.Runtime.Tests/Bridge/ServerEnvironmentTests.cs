using McpLambda.Runtime.Bridge;
using McpLambda.Runtime.Configuration;

namespace McpLambda.Runtime.Tests.Bridge;

/// <summary>What the server's trimmed environment keeps of the function's: what binaries need and the names it is given, never the credentials.</summary>
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
        ["GITHUB_TOKEN"] = "ghp_example",
        ["FOO"] = "bar",
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

    [Fact]
    public void Named_variables_of_the_function_reach_the_server_and_no_others()
    {
        var options = new StdioServerOptions("node", ["server.js"]) { PassEnvironment = ["GITHUB_TOKEN", "FOO", "NOT_SET"] };

        var environment = StdioProcessSettings.Create(options, Parent).Environment;

        Assert.Equal("ghp_example", environment["GITHUB_TOKEN"]);
        Assert.Equal("bar", environment["FOO"]);
        Assert.False(environment.ContainsKey("NOT_SET"), "a name the function does not have is not set empty");
        Assert.False(environment.ContainsKey("SOME_OTHER_SETTING"), "an unnamed variable reached the server");
        Assert.Equal("eu-west-1", environment["AWS_REGION"]);
    }

    [Fact]
    public void Naming_a_credential_does_not_pass_it()
    {
        var options = new StdioServerOptions("node", ["server.js"]) { PassEnvironment = [.. ServerEnvironment.Withheld] };

        var environment = StdioProcessSettings.Create(options, Parent).Environment;

        Assert.All(ServerEnvironment.Withheld, name => Assert.False(environment.ContainsKey(name), name + " reached the server"));
    }

    [Fact]
    public void The_deployment_adds_names_to_the_declared_ones_and_refuses_credentials_and_assignments()
    {
        var settings = McpLambdaSettings.Read(name => name == "MCPLAMBDA_SERVER_PASS_ENV" ? " FOO, GITHUB_TOKEN BAR " : null);
        var server = settings.ApplyTo(new StdioServerOptions("node", ["server.js"]) { PassEnvironment = ["GITHUB_TOKEN"] });

        Assert.Equal(["FOO", "GITHUB_TOKEN", "BAR"], settings.ServerPassEnvironment);
        Assert.Equal(["GITHUB_TOKEN", "FOO", "BAR"], server.PassEnvironment);
        Assert.Empty(McpLambdaSettings.Read(_ => null).ServerPassEnvironment);

        var credential = Assert.Throws<ArgumentException>(() => McpLambdaSettings.Read(name => name == "MCPLAMBDA_SERVER_PASS_ENV" ? "FOO,AWS_SECRET_ACCESS_KEY" : null));
        Assert.Contains("MCPLAMBDA_SERVER_PASS_ENV names AWS_SECRET_ACCESS_KEY", credential.Message);
        var assignment = Assert.Throws<ArgumentException>(() => McpLambdaSettings.Read(name => name == "MCPLAMBDA_SERVER_PASS_ENV" ? "FOO=1" : null));
        Assert.Contains("MCPLAMBDA_SERVER_ENV_<NAME>", assignment.Message);
    }

    private static string? Parent(string name) => Lambda.GetValueOrDefault(name);
}
