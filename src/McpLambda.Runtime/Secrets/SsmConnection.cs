using Amazon.Runtime;
using Amazon.Runtime.Credentials;

namespace McpLambda.Runtime.Secrets;

/// <summary>Where Parameter Store answers and as whom the function signs its calls.</summary>
/// <param name="Endpoint">The service's URL.</param>
/// <param name="Region">The region signatures name.</param>
/// <param name="Credentials">The credentials, resolved on first use.</param>
internal sealed record SsmConnection(Uri Endpoint, string Region, Func<AWSCredentials> Credentials)
{
    /// <summary>
    /// The connection the function's environment describes: the region (<c>AWS_REGION</c>), Systems Manager's endpoint
    /// there unless <paramref name="endpoint"/> names another (FIPS with <c>AWS_USE_FIPS_ENDPOINT</c>), and the SDK's
    /// default credential chain, which in Lambda is the function's role.
    /// </summary>
    /// <param name="endpoint">Another endpoint than the region's, or null.</param>
    /// <param name="variable">The environment (the process's when null).</param>
    /// <exception cref="InvalidOperationException">No region is set; the message says which variable to set.</exception>
    public static SsmConnection FromEnvironment(string? endpoint, Func<string, string?>? variable = null)
    {
        variable ??= Environment.GetEnvironmentVariable;
        var region = NonEmpty(variable("AWS_REGION")) ?? NonEmpty(variable("AWS_DEFAULT_REGION"));
        if (region is null)
        {
            // A local store signs for any region; the service's own endpoint needs the right one.
            region = endpoint is null
                ? throw new InvalidOperationException("no AWS region: set AWS_REGION (Lambda sets it), or AWS_ENDPOINT_URL_SSM for a store of your own")
                : "us-east-1";
        }

        var fips = string.Equals(variable("AWS_USE_FIPS_ENDPOINT")?.Trim(), "true", StringComparison.OrdinalIgnoreCase);
        return new(new Uri(endpoint ?? RegionalEndpoint(region, fips)), region, () => DefaultAWSCredentialsIdentityResolver.GetCredentials(null));
    }

    /// <summary>Systems Manager's endpoint in <paramref name="region"/>: its partition's DNS suffix, FIPS when asked for.</summary>
    private static string RegionalEndpoint(string region, bool fips)
    {
        var service = fips ? "ssm-fips" : "ssm";
        var suffix = region.StartsWith("cn-", StringComparison.Ordinal) ? "amazonaws.com.cn" : "amazonaws.com";
        return $"https://{service}.{region}.{suffix}/";
    }

    private static string? NonEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
