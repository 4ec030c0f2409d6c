using McpLambda.Runtime.Secrets;

namespace McpLambda.Runtime.Bridge;

/// <summary>
/// Starts the server for whichever lifetime policy asks: its options with the current secret values in place of the
/// references, started and initialized, its requests to clients going through the relay.
/// </summary>
/// <param name="options">The server as declared, references and all.</param>
/// <param name="relay">Where the server's requests to clients go.</param>
/// <param name="secrets">The values of the references in <paramref name="options"/>; null when it names none. Disposed with this.</param>
internal sealed class ServerStarter(StdioServerOptions options, ServerRequestRelay relay, ServerSecrets? secrets) : IDisposable
{
    /// <summary>The server as declared.</summary>
    public StdioServerOptions Options => options;

    /// <summary>Whether a secret value changed since a server started with <paramref name="secretsVersion"/>: that server is outdated.</summary>
    public bool Outdated(int secretsVersion) => secrets is not null && secrets.CurrentVersion != secretsVersion;

    /// <summary>Between requests, fetches the secret values again once their time to live is over.</summary>
    public Task RefreshSecretsAsync(CancellationToken cancellationToken)
        => secrets is { RefreshDue: true } ? secrets.RefreshAsync(cancellationToken) : Task.CompletedTask;

    /// <summary>Starts the server with the current secret values.</summary>
    /// <exception cref="StdioServerStartException">It could not start, or a reference could not be resolved; the message says why.</exception>
    public async Task<StartedServer> StartAsync(CancellationToken cancellationToken)
    {
        var (startOptions, secretsVersion) = await OptionsAsync().ConfigureAwait(false);
        var connection = await StdioServerConnection.StartAsync(startOptions, relay, cancellationToken).ConfigureAwait(false);
        return new StartedServer(connection, secretsVersion);
    }

    /// <inheritdoc/>
    public void Dispose() => secrets?.Dispose();

    private async Task<(StdioServerOptions Options, int SecretsVersion)> OptionsAsync()
    {
        if (secrets is null)
        {
            return (options, 0);
        }

        try
        {
            var values = await secrets.CurrentAsync().ConfigureAwait(false);
            return (values.ApplyTo(options), values.Version);
        }
        catch (SecretResolutionException ex)
        {
            throw new StdioServerStartException($"The MCP server '{options}' could not start: {ex.Message}", ex);
        }
    }
}

/// <summary>A started server and the <see cref="SecretValues.Version"/> of the values it was started with.</summary>
internal readonly record struct StartedServer(StdioServerConnection Connection, int SecretsVersion);
