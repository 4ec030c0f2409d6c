using McpLambda.Runtime.Features;

namespace McpLambda.Runtime.Secrets;

/// <summary>The store secret references resolve in: Parameter Store, unless the build left it out.</summary>
internal static class ParameterStores
{
    /// <summary>The store, at Systems Manager's endpoint for the region unless <paramref name="endpoint"/> names another.</summary>
    public static IParameterStore For(string? endpoint)
        => BuildFeatures.Secrets ? new SsmParameterStore(() => SsmConnection.FromEnvironment(endpoint)) : new NotBuiltIn();

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
