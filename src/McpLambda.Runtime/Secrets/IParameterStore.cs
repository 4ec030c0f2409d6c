namespace McpLambda.Runtime.Secrets;

/// <summary>Where secret references are resolved: Parameter Store, or a stand-in that says why it cannot be.</summary>
internal interface IParameterStore : IDisposable
{
    /// <summary>The decrypted values of <paramref name="names"/>, keyed as asked; a name the store does not have is left out.</summary>
    /// <exception cref="ParameterStoreException">The store refused or could not be asked; it names the parameters and says why.</exception>
    Task<IReadOnlyDictionary<string, string>> GetAsync(IReadOnlyList<string> names, CancellationToken cancellationToken);
}
