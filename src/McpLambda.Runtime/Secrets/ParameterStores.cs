using Amazon.SimpleSystemsManagement;
using McpLambda.Runtime.Features;

namespace McpLambda.Runtime.Secrets;

/// <summary>The store secret references resolve in: Parameter Store, unless the build left it out.</summary>
internal static class ParameterStores
{
    /// <summary>A healthy GetParameters answers in milliseconds; an endpoint that never answers (a VPC without a way to Systems Manager) fails the start in seconds, not after HttpClient's 100.</summary>
    private static readonly TimeSpan CallTimeout = TimeSpan.FromSeconds(5);

    /// <summary>The store, at Systems Manager's endpoint for the region unless <paramref name="endpoint"/> names another.</summary>
    public static IParameterStore For(string? endpoint)
        => BuildFeatures.Secrets ? Ssm(endpoint) : new NotBuiltIn();

    private static SsmParameterStore Ssm(string? endpoint) => new(() =>
    {
        // The default credential chain: the function's role in Lambda.
        var config = new AmazonSimpleSystemsManagementConfig { Timeout = CallTimeout };
        if (endpoint is not null)
        {
            config.ServiceURL = endpoint;
        }

        return new AmazonSimpleSystemsManagementClient(config);
    });

    /// <summary>Fails every reference, saying how to build them in: serving with <c>ssm:…</c> as the value would be worse.</summary>
    private sealed class NotBuiltIn : IParameterStore
    {
        public Task<IReadOnlyDictionary<string, string>> GetAsync(IReadOnlyList<string> names, CancellationToken cancellationToken)
            => Task.FromException<IReadOnlyDictionary<string, string>>(new ParameterStoreException(
                names, "this function was built without secret references: set <McpLambdaSecrets>true</McpLambdaSecrets> in its project"));

        public void Dispose()
        {
        }
    }
}
