namespace McpLambda.Runtime.Secrets;

/// <summary>
/// Resolving secret references, the server's and the function's own settings' alike: one store call for all of them,
/// or an error naming each reference that failed and why, never a value.
/// </summary>
internal static class SecretResolution
{
    /// <summary>The values of <paramref name="references"/>, by variable, from one <paramref name="store"/> call (the store splits what the API cannot take at once).</summary>
    /// <exception cref="SecretResolutionException">A reference is malformed, refused or not found; the message names it and why.</exception>
    public static async Task<Dictionary<string, string>> ResolveAsync(IReadOnlyList<SecretReference> references, IParameterStore store, CancellationToken cancellationToken)
    {
        var malformed = references.Where(reference => reference.Problem is not null).Select(reference => $"{reference} {reference.Problem}").ToList();
        if (malformed.Count > 0)
        {
            throw new SecretResolutionException("the secret reference " + string.Join("; ", malformed));
        }

        string[] parameters = [.. references.Select(reference => reference.Parameter).Distinct(StringComparer.Ordinal)];
        IReadOnlyDictionary<string, string> found;
        try
        {
            found = await store.GetAsync(parameters, cancellationToken).ConfigureAwait(false);
        }
        catch (ParameterStoreException ex)
        {
            throw new SecretResolutionException($"{Describe(references, ex.Parameters)} could not be resolved: {ex.Message}", ex);
        }

        var missing = parameters.Where(parameter => !found.ContainsKey(parameter)).ToList();
        if (missing.Count > 0)
        {
            throw new SecretResolutionException($"{Describe(references, missing)} could not be resolved: not found (Parameter Store answered InvalidParameters)");
        }

        return references.ToDictionary(reference => reference.Variable, reference => found[reference.Parameter], StringComparer.Ordinal);
    }

    /// <summary>The references to <paramref name="parameters"/>, as written: variables and names, never values.</summary>
    private static string Describe(IReadOnlyList<SecretReference> references, IReadOnlyList<string> parameters)
    {
        var named = references.Where(reference => parameters.Contains(reference.Parameter, StringComparer.Ordinal)).ToList();
        return $"the secret reference{(named.Count == 1 ? "" : "s")} {string.Join(", ", named)}";
    }
}
