using McpLambda.Runtime.Configuration;
using McpLambda.Runtime.Hosting;
using McpLambda.Runtime.Observability;

namespace McpLambda.Runtime.Tests.Configuration;

/// <summary>The environment is read once, into one settings object; overrides keep every other server option.</summary>
public sealed class McpLambdaSettingsTests
{
    [Fact]
    public void An_empty_environment_gives_the_defaults()
    {
        var settings = McpLambdaSettings.Read(_ => null);

        Assert.Equal(McpLambdaSettings.Default, settings with { Http = McpLambdaSettings.Default.Http });
        Assert.Null(settings.RuntimeApi);
        Assert.Equal(1, settings.MaxConcurrency);
        Assert.Equal(6 * 1024 * 1024, settings.Http.MaxRequestBodyBytes);
        Assert.Null(settings.Http.AllowedOrigins);
        Assert.Equal((6 * 1024 * 1024) - (64 * 1024), settings.MaxResponseBytes);
        Assert.Equal(TimeSpan.FromMilliseconds(500), settings.DeadlineMargin);
        Assert.Equal(TimeSpan.FromSeconds(60), settings.ManagedRuntimeRequestTimeout);
        Assert.Equal(TimeSpan.FromSeconds(60), settings.LocalInvocationTimeout);
        Assert.Equal(100, settings.MaxBatchLength);
    }

    [Fact]
    public void Every_variable_is_read()
    {
        var environment = new Dictionary<string, string>
        {
            ["AWS_LAMBDA_RUNTIME_API"] = "127.0.0.1:9001",
            ["AWS_LAMBDA_EXEC_WRAPPER"] = "/var/task/bootstrap",
            ["AWS_LAMBDA_MAX_CONCURRENCY"] = "4",
            ["LAMBDA_TASK_ROOT"] = "/var/task",
            ["MCPLAMBDA_ALLOWED_ORIGINS"] = "https://a.example, https://b.example",
            ["MCPLAMBDA_MAX_BODY_BYTES"] = "1000",
            ["MCPLAMBDA_MAX_RESPONSE_BYTES"] = "2000",
            ["MCPLAMBDA_DEADLINE_MARGIN_MS"] = "0",
            ["MCPLAMBDA_SERVER_LIFETIME"] = "perinvocation",
            ["MCPLAMBDA_REQUEST_TIMEOUT_SECONDS"] = "7",
            ["MCPLAMBDA_LOCAL_TIMEOUT_SECONDS"] = "8",
            ["MCPLAMBDA_MAX_BATCH_LENGTH"] = "9",
            ["PORT"] = "9090",
        };

        var settings = McpLambdaSettings.Read(name => environment.GetValueOrDefault(name));

        Assert.Equal("127.0.0.1:9001", settings.RuntimeApi);
        Assert.True(settings.IsExecWrapper);
        Assert.Equal(4, settings.MaxConcurrency);
        Assert.Equal("/var/task", settings.FunctionDirectory);
        Assert.Equal(["https://a.example", "https://b.example"], settings.Http.AllowedOrigins!);
        Assert.Equal(1000, settings.Http.MaxRequestBodyBytes);
        Assert.Equal(2000, settings.MaxResponseBytes);
        Assert.Equal(TimeSpan.Zero, settings.DeadlineMargin);
        Assert.Equal(McpServerLifetime.PerInvocation, settings.ServerLifetime);
        Assert.Equal(TimeSpan.FromSeconds(7), settings.ManagedRuntimeRequestTimeout);
        Assert.Equal(TimeSpan.FromSeconds(8), settings.LocalInvocationTimeout);
        Assert.Equal("9090", settings.LocalPort);
        Assert.Equal(9, settings.MaxBatchLength);
    }

    [Fact]
    public void Streaming_and_the_relay_are_read_and_streaming_offers_the_server_client_requests_and_longer_answers()
    {
        var environment = new Dictionary<string, string>
        {
            ["MCPLAMBDA_RESPONSE_STREAMING"] = "true",
            ["MCPLAMBDA_MAX_STREAMED_RESPONSE_BYTES"] = "9000000",
            ["MCPLAMBDA_RELAY_TABLE"] = " relay ",
            ["MCPLAMBDA_RELAY_POLL_MS"] = "25",
            ["AWS_ENDPOINT_URL_DYNAMODB"] = "http://127.0.0.1:8000",
        };

        var settings = McpLambdaSettings.Read(name => environment.GetValueOrDefault(name));
        var server = settings.ApplyTo(new StdioServerOptions("node", []));

        Assert.True(settings.ResponseStreaming);
        Assert.Equal(9_000_000, settings.MaxStreamedResponseBytes);
        Assert.Equal("relay", settings.RelayTable);
        Assert.Equal(TimeSpan.FromMilliseconds(25), settings.RelayPollInterval);
        Assert.Equal("http://127.0.0.1:8000", settings.DynamoDbEndpoint);
        Assert.True(server.OffersClientRequests);
        Assert.Equal(9_000_000, server.MaxMessageBytes);
        Assert.True(McpLambdaSettings.Read(_ => null).ApplyTo(new StdioServerOptions("node", [])).OffersClientRequests);
        Assert.Contains("MCPLAMBDA_RESPONSE_STREAMING", Assert.Throws<ArgumentException>(() => McpLambdaSettings.Read(name => name == "MCPLAMBDA_RESPONSE_STREAMING" ? "sometimes" : null)).Message);
    }

    [Fact]
    public void A_lifetime_override_keeps_every_other_server_option()
    {
        var declared = new StdioServerOptions("npx", ["server"])
        {
            WorkingDirectory = "server",
            EnvironmentVariables = new Dictionary<string, string> { ["KEY"] = "VALUE" },
            InheritEnvironment = true,
            StartupTimeout = TimeSpan.FromSeconds(12),
        };

        var applied = (McpLambdaSettings.Default with { ServerLifetime = McpServerLifetime.PerInvocation, FunctionDirectory = "/var/task" }).ApplyTo(declared);

        Assert.Equal(declared with { Lifetime = McpServerLifetime.PerInvocation, FunctionDirectory = "/var/task" }, applied);
    }

    [Theory]
    [InlineData("Sometimes")]
    [InlineData("7")]
    public void An_unknown_lifetime_is_refused_with_the_variable_named(string value)
    {
        var error = Assert.Throws<ArgumentException>(() => McpLambdaSettings.Read(name => name == "MCPLAMBDA_SERVER_LIFETIME" ? value : null));

        Assert.Contains("MCPLAMBDA_SERVER_LIFETIME", error.Message);
    }

    [Fact]
    public void Exec_wrapper_arguments_are_dropped_only_under_lambda()
    {
        string[] args = ["/var/lang/bin/node", "/var/runtime/index.mjs"];
        var wrapper = McpLambdaSettings.Default with { IsExecWrapper = true };

        Assert.Same(args, ExecWrapper.FunctionArguments(args, wrapper));
        Assert.Empty(ExecWrapper.FunctionArguments(args, wrapper with { RuntimeApi = "127.0.0.1:9001" }));
        Assert.Same(args, ExecWrapper.FunctionArguments(args, McpLambdaSettings.Default with { RuntimeApi = "127.0.0.1:9001" }));
    }

    [Fact]
    public void Lambdas_logging_controls_and_the_metrics_switch_are_read()
    {
        var environment = new Dictionary<string, string>
        {
            ["AWS_LAMBDA_LOG_FORMAT"] = "JSON",
            ["AWS_LAMBDA_LOG_LEVEL"] = "debug",
            ["AWS_LAMBDA_FUNCTION_NAME"] = "everything",
            ["MCPLAMBDA_METRICS"] = "on",
            ["MCPLAMBDA_METRICS_NAMESPACE"] = "Team/Mcp",
        };

        var settings = McpLambdaSettings.Read(name => environment.GetValueOrDefault(name));

        Assert.Equal(LambdaLogFormat.Json, settings.LogFormat);
        Assert.Equal(LambdaLogLevel.Debug, settings.LogLevel);
        Assert.Equal("everything", settings.FunctionName);
        Assert.True(settings.Metrics);
        Assert.Equal("Team/Mcp", settings.MetricsNamespace);
    }

    [Fact]
    public void Without_logging_controls_the_log_is_text_at_info_and_metrics_are_off()
    {
        var settings = McpLambdaSettings.Read(name => name == "AWS_LAMBDA_LOG_LEVEL" ? "LOUD" : null);

        Assert.Equal(LambdaLogFormat.Text, settings.LogFormat);
        Assert.Equal(LambdaLogLevel.Info, settings.LogLevel);
        Assert.False(settings.Metrics);
        Assert.Equal("McpLambda", settings.MetricsNamespace);
    }
}
