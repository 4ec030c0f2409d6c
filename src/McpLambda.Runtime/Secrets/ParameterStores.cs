using Amazon.SimpleSystemsManagement;
using McpLambda.Runtime.Configuration;

namespace McpLambda.Runtime.Secrets;

/// <summary>The store a function's settings resolve secret references in: Parameter Store, unless the build left it out.</summary>
internal static class ParameterStores
{
    /// <summary>A healthy GetParameters answers in milliseconds; an endpoint that never answers (a VPC without a way to Systems Manager) fails the start in seconds, not after HttpClient's 100.</summary>
    private static readonly TimeSpan CallTimeout = TimeSpan.FromSeconds(5);

    public static IParameterStore For(McpLambdaSettings settings)
        => SecretsFeature.IsSupported ? Ssm(settings) : new NotBuiltIn();

    private static SsmParameterStore Ssm(McpLambdaSettings settings) => new(() =>
    {
        // The default credential chain: the function's role in Lambda.
        var config = new AmazonSimpleSystemsManagementConfig { Timeout = CallTimeout };
        if (settings.SsmEndpoint is { } endpoint)
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
