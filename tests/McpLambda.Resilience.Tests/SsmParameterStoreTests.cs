using System.Net;
using System.Net.Sockets;
using McpLambda.Runtime.Secrets;

namespace McpLambda.Resilience.Tests;

/// <summary>
/// The runtime's own <c>GetParameters</c> call against the Parameter Store emulation and without one: where it calls, how
/// it tries again, and what a failure it cannot get past says (never a value, never the service's own words). In the log
/// collection: failures are logged.
/// </summary>
[Collection(nameof(LogConfigurationCollection))]
public sealed class SsmParameterStoreTests
{
    [Theory]
    [InlineData("eu-west-1", null, null, "https://ssm.eu-west-1.amazonaws.com/")]
    [InlineData("us-gov-west-1", "true", null, "https://ssm-fips.us-gov-west-1.amazonaws.com/")]
    [InlineData("cn-north-1", null, null, "https://ssm.cn-north-1.amazonaws.com.cn/")]
    [InlineData("eu-west-1", "true", "http://127.0.0.1:4583", "http://127.0.0.1:4583/")]
    [InlineData(null, null, "http://127.0.0.1:4583", "http://127.0.0.1:4583/")]
    public void The_endpoint_is_the_regions_in_its_partition_unless_another_is_named(string? region, string? fips, string? endpoint, string expected)
    {
        var connection = SsmConnection.FromEnvironment(endpoint, name => name switch
        {
            "AWS_REGION" => region,
            "AWS_USE_FIPS_ENDPOINT" => fips,
            _ => null,
        });

        Assert.Equal(new Uri(expected), connection.Endpoint);
        Assert.Equal(region ?? "us-east-1", connection.Region);
    }

    [Fact]
    public void Without_a_region_or_an_endpoint_there_is_nowhere_to_call_and_the_error_says_what_to_set()
    {
        var error = Assert.Throws<InvalidOperationException>(() => SsmConnection.FromEnvironment(null, _ => null));
        Assert.Contains("set AWS_REGION", error.Message);
    }

    [Fact]
    public async Task A_failing_service_is_tried_again_and_one_that_keeps_failing_fails_the_call_naming_its_code()
    {
        await using var store = new LocalParameterStore();
        store.Put("/mcp/token", "token-value-0021");
        using var parameters = new SsmParameterStore(store.Connection);

        store.FailNext(SsmParameterStore.MaxAttempts - 1);
        var values = await parameters.GetAsync(["/mcp/token"], CancellationToken.None);
        Assert.Equal("token-value-0021", values["/mcp/token"]);
        Assert.Equal(SsmParameterStore.MaxAttempts, store.Calls.Count);

        store.FailNext(int.MaxValue);
        var error = await Assert.ThrowsAsync<ParameterStoreException>(() => parameters.GetAsync(["/mcp/token"], CancellationToken.None));
        Assert.Equal("failing (InternalServerError), still after 3 attempts", error.Message);
        Assert.Equal(["/mcp/token"], error.Parameters);
        Assert.Equal(2 * SsmParameterStore.MaxAttempts, store.Calls.Count);
    }

    [Fact]
    public async Task An_endpoint_nothing_answers_on_fails_the_call_after_its_attempts_saying_it_could_not_be_reached()
    {
        int port;
        using (var listener = new TcpListener(IPAddress.Loopback, 0))
        {
            listener.Start();
            port = ((IPEndPoint)listener.LocalEndpoint).Port;
        }

        using var parameters = new SsmParameterStore(() => SsmConnection.FromEnvironment($"http://127.0.0.1:{port}/", _ => null) with
        {
            Credentials = LocalParameterStore.RoleCredentials,
        });

        var error = await Assert.ThrowsAsync<ParameterStoreException>(() => parameters.GetAsync(["/mcp/token"], CancellationToken.None)).WaitAsync(TimeSpan.FromSeconds(30));
        Assert.StartsWith("Parameter Store could not be reached (HttpRequestException: ", error.Message);
    }
}
