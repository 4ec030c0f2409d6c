using McpLambda.Runtime.Configuration;
using McpLambda.Runtime.Secrets;

namespace McpLambda.Runtime.Tests.Configuration;

/// <summary>
/// The deployment's part of the server's environment (<c>MCPLAMBDA_SERVER_ENV_&lt;NAME&gt;</c>), where secret references
/// are found, and the secrets' settings.
/// </summary>
public sealed class ServerSecretSettingsTests
{
    [Fact]
    public void Prefixed_variables_set_the_server_environment_over_the_declaration_and_their_references_are_found()
    {
        var environment = new Dictionary<string, string>
        {
            ["MCPLAMBDA_SERVER_ENV_GITHUB_TOKEN"] = "ssm:/mcp/github-token",
            ["MCPLAMBDA_SERVER_ENV_LOG_LEVEL"] = "debug",
            ["MCPLAMBDA_SERVER_ENV_"] = "no name: ignored",
            ["MCPLAMBDA_SECRETS_TTL_SECONDS"] = "300",
            ["AWS_ENDPOINT_URL_SSM"] = "http://127.0.0.1:4583",
            ["OTHER"] = "ssm:/not/for/the/server",
        };

        var settings = McpLambdaSettings.Read(name => environment.GetValueOrDefault(name), environment.Keys);
        var server = settings.ApplyTo(new StdioServerOptions("node", ["server.js"])
        {
            EnvironmentVariables = new Dictionary<string, string> { ["LOG_LEVEL"] = "info", ["DECLARED"] = "ssm:/mcp/declared" },
        });

        Assert.Equal(TimeSpan.FromSeconds(300), settings.SecretsTimeToLive);
        Assert.Equal("http://127.0.0.1:4583", settings.SsmEndpoint);
        Assert.Equal("debug", server.EnvironmentVariables["LOG_LEVEL"]);
        Assert.Equal(
            ["DECLARED=ssm:/mcp/declared", "GITHUB_TOKEN=ssm:/mcp/github-token"],
            SecretReference.In(server.EnvironmentVariables).Select(reference => reference.ToString()));
        using var secrets = ServerSecrets.For(server, () => ParameterStores.For(settings.SsmEndpoint), settings.SecretsTimeToLive);
        Assert.NotNull(secrets);
    }

    [Fact]
    public void Without_prefixed_variables_the_settings_are_the_defaults_and_a_server_without_references_has_no_secrets()
    {
        var settings = McpLambdaSettings.Read(_ => null, ["PATH", "HOME"]);

        Assert.Equal(McpLambdaSettings.Default, settings with { Http = McpLambdaSettings.Default.Http });
        Assert.Null(settings.SecretsTimeToLive);
        Assert.Null(ServerSecrets.For(settings.ApplyTo(new StdioServerOptions("node", [])), () => ParameterStores.For(settings.SsmEndpoint), settings.SecretsTimeToLive));
    }

    [Fact]
    public void A_reference_naming_the_caller_makes_per_caller_secrets_with_the_subject_in_place_and_a_bound_from_the_settings()
    {
        var environment = new Dictionary<string, string>
        {
            ["MCPLAMBDA_SERVER_ENV_GITHUB_TOKEN"] = "ssm:/mcp/users/{sub}/github",
            ["MCPLAMBDA_SERVER_ENV_SHARED"] = "ssm:/mcp/shared",
            ["MCPLAMBDA_MAX_CALLER_SERVERS"] = "7",
        };
        var settings = McpLambdaSettings.Read(name => environment.GetValueOrDefault(name), environment.Keys);
        using var secrets = ServerSecrets.For(settings.ApplyTo(new StdioServerOptions("node", [])), () => ParameterStores.For(settings.SsmEndpoint), settings.SecretsTimeToLive)!;

        Assert.Equal(7, settings.MaxCallerServers);
        Assert.Equal(4, McpLambdaSettings.Default.MaxCallerServers);
        Assert.True(secrets.NamesCaller);
        using var alice = secrets.ForCaller("0b7e-alice_1.x");
        Assert.False(alice.NamesCaller);
        Assert.Equal(["GITHUB_TOKEN=ssm:/mcp/users/0b7e-alice_1.x/github", "SHARED=ssm:/mcp/shared"], alice.References.Select(reference => reference.ToString()));
        foreach (var subject in new[] { "", "alice/../bob", "auth0|123", "a b" })
        {
            Assert.Throws<ArgumentException>(() => secrets.ForCaller(subject));
        }
    }

    [Theory]
    [InlineData("ssm:", "names no parameter")]
    [InlineData("ssm:/mcp/a token", "has white space in its parameter name")]
    public void A_malformed_reference_says_what_is_wrong(string value, string problem)
    {
        var reference = Assert.Single(SecretReference.In(new Dictionary<string, string> { ["TOKEN"] = value }));

        Assert.Equal(problem, reference.Problem);
    }
}
