namespace McpLambda.Runtime.Secrets;

/// <summary>
/// Secret references could not be resolved. The message names the references and the reason, never a value, and not a
/// store's own text (which names the account and the role): that goes to the function's log.
/// </summary>
internal sealed class SecretResolutionException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>A parameter store refused <see cref="Parameters"/> or could not be asked for them.</summary>
/// <param name="parameters">The names asked for.</param>
/// <param name="reason">Why, in a few words that name no account, role or value.</param>
/// <param name="inner">The store's own error.</param>
internal sealed class ParameterStoreException(IReadOnlyList<string> parameters, string reason, Exception? inner = null) : Exception(reason, inner)
{
    /// <summary>The names asked for.</summary>
    public IReadOnlyList<string> Parameters { get; } = parameters;
}
