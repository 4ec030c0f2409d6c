using Amazon.Runtime;
using Amazon.SimpleSystemsManagement;
using Amazon.SimpleSystemsManagement.Model;
using McpLambda.Runtime.Observability;

namespace McpLambda.Runtime.Secrets;

/// <summary>
/// Parameter Store's <c>GetParameters</c>, with decryption: SecureString values come back in clear, and so do Secrets
/// Manager secrets named through <c>/aws/reference/secretsmanager/</c>. One call for up to ten names (the API's limit);
/// more names make concurrent calls of ten.
/// </summary>
/// <param name="createClient">Makes the client on first use, off the caller's thread: the SDK's set-up is part of the fetch, not of init's critical path.</param>
internal sealed class SsmParameterStore(Func<IAmazonSimpleSystemsManagement> createClient) : IParameterStore
{
    /// <summary>The most names one <c>GetParameters</c> call takes.</summary>
    public const int MaxNamesPerCall = 10;

    private readonly Lazy<IAmazonSimpleSystemsManagement> _ssm = new(createClient);

    /// <inheritdoc/>
    public async Task<IReadOnlyDictionary<string, string>> GetAsync(IReadOnlyList<string> names, CancellationToken cancellationToken)
    {
        var batches = await Task.WhenAll(names.Chunk(MaxNamesPerCall).Select(batch => GetBatchAsync(batch, cancellationToken))).ConfigureAwait(false);
        return batches.SelectMany(batch => batch).ToDictionary(found => found.Key, found => found.Value, StringComparer.Ordinal);
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        if (_ssm.IsValueCreated)
        {
            _ssm.Value.Dispose();
        }
    }

    private async Task<Dictionary<string, string>> GetBatchAsync(string[] names, CancellationToken cancellationToken)
    {
        GetParametersResponse response;
        try
        {
            response = await _ssm.Value.GetParametersAsync(new GetParametersRequest { Names = [.. names], WithDecryption = true }, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            // The service's text names the account, the role and the resource: the log has it, the error has its code.
            Log.Error($"secrets: GetParameters for {string.Join(", ", names)} failed: {ex.GetType().Name}: {ex.Message}");
            throw new ParameterStoreException(names, Reason(ex), ex);
        }

        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var parameter in response.Parameters ?? [])
        {
            // A name asked with a selector (name:3, name:label) comes back as the name and the selector; one asked by ARN, with that ARN.
            var selector = parameter.Selector ?? "";
            if (names.FirstOrDefault(name => name == parameter.Name + selector || name == parameter.ARN + selector) is { } asked)
            {
                values[asked] = parameter.Value;
            }
        }

        return values;
    }

    private string Reason(Exception error) => error switch
    {
        AmazonServiceException { ErrorCode: "AccessDeniedException" } => "access denied (AccessDeniedException): the function's role needs ssm:GetParameters on the parameter, kms:Decrypt for a SecureString under a customer managed key, and secretsmanager:GetSecretValue for a Secrets Manager secret",
        AmazonServiceException { ErrorCode: "ThrottlingException" } => $"throttled (ThrottlingException), still after the SDK's {_ssm.Value.Config.MaxErrorRetry + 1} attempts",
        AmazonServiceException { ErrorCode: { Length: > 0 } code } service => $"{code} (HTTP {(int)service.StatusCode})",
        _ => $"Parameter Store could not be reached ({error.GetType().Name}: {error.Message})",
    };
}
