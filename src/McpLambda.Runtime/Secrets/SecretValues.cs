namespace McpLambda.Runtime.Secrets;

/// <summary>
/// One fetch's values, by the server variable each goes to. Not a record, so that nothing prints them by accident.
/// </summary>
/// <param name="byVariable">The values.</param>
/// <param name="version">Grows by one each time a fetch brings a changed value.</param>
internal sealed class SecretValues(IReadOnlyDictionary<string, string> byVariable, int version)
{
    /// <summary>Grows by one each time a fetch brings a changed value: a server started with an older version is outdated.</summary>
    public int Version => version;

    /// <summary>Whether <paramref name="variable"/> has <paramref name="value"/>.</summary>
    public bool Has(string variable, string value) => byVariable.TryGetValue(variable, out var known) && known == value;

    /// <summary><paramref name="server"/> with these values in place of the references in its environment.</summary>
    public StdioServerOptions ApplyTo(StdioServerOptions server)
    {
        var environment = new Dictionary<string, string>(server.EnvironmentVariables, StringComparer.Ordinal);
        foreach (var (variable, value) in byVariable)
        {
            environment[variable] = value;
        }

        return server with { EnvironmentVariables = environment };
    }
}
