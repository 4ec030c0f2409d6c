namespace McpLambda.Runtime.Secrets;

/// <summary>
/// A setting of the function's own (a key, say) that may name a secret (<c>ssm:&lt;parameter&gt;</c>, as the server's
/// references do) instead of holding it, resolved once during init. The value never reaches the log or an error.
/// </summary>
internal static class SecretSetting
{
    /// <summary>Whether <paramref name="value"/> names a secret rather than holding the setting.</summary>
    public static bool IsReference(string? value) => value?.StartsWith(SecretReference.Prefix, StringComparison.Ordinal) == true;

    /// <summary>The setting <paramref name="variable"/>: <paramref name="value"/> itself, or the secret it names, read from <paramref name="store"/>.</summary>
    /// <exception cref="SecretResolutionException">The reference could not be resolved; the message names the variable, the parameter and why.</exception>
    public static async Task<string> ResolveAsync(string variable, string value, IParameterStore store, CancellationToken cancellationToken)
    {
        if (!IsReference(value))
        {
            return value;
        }

        var reference = new SecretReference(variable, value[SecretReference.Prefix.Length..]);
        if (reference.Problem is { } problem)
        {
            throw new SecretResolutionException($"the secret reference {reference} {problem}");
        }

        IReadOnlyDictionary<string, string> found;
        try
        {
            found = await store.GetAsync([reference.Parameter], cancellationToken).ConfigureAwait(false);
        }
        catch (ParameterStoreException ex)
        {
            throw new SecretResolutionException($"the secret reference {reference} could not be resolved: {ex.Message}", ex);
        }

        return found.TryGetValue(reference.Parameter, out var resolved)
            ? resolved
            : throw new SecretResolutionException($"the secret reference {reference} could not be resolved: not found (Parameter Store answered InvalidParameters)");
    }
}
