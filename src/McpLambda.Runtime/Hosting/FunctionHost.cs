using McpLambda.Runtime.Bridge;
using McpLambda.Runtime.Configuration;
using McpLambda.Runtime.EventAdapters;
using McpLambda.Runtime.Observability;
using McpLambda.Runtime.Protocol;
using McpLambda.Runtime.StreamableHttp;
using McpLambda.Runtime.RuntimeApi;
using McpLambda.Runtime.Secrets;

namespace McpLambda.Runtime.Hosting;

/// <summary>
/// The one start-up path: the settings applied to the declared server, the bridge to it, the dispatcher and
/// HTTP rules in front of it, and what answers an invocation. The custom runtime, local mode and the managed
/// runtime's handler all start from here.
/// </summary>
internal sealed class FunctionHost : IAsyncDisposable
{
    /// <summary>Assembles the function; secret references resolve in Parameter Store (at <c>AWS_ENDPOINT_URL_SSM</c> when set).</summary>
    /// <exception cref="SecretResolutionException">A setting of the function's own names a secret that could not be resolved.</exception>
    public FunctionHost(StdioServerOptions server, LambdaEventAdapter adapter, McpLambdaSettings settings)
        : this(server, adapter, settings, () => ParameterStores.For(settings.SsmEndpoint))
    {
    }

    /// <summary>Assembles the function with secret references resolved in the stores <paramref name="parameterStore"/> makes.</summary>
    /// <exception cref="SecretResolutionException">A setting of the function's own names a secret that could not be resolved.</exception>
    public FunctionHost(StdioServerOptions server, LambdaEventAdapter adapter, McpLambdaSettings settings, Func<IParameterStore> parameterStore)
    {
        var options = settings.ApplyTo(server);
        var secrets = ServerSecrets.For(options, parameterStore, settings.SecretsTimeToLive);

        // First, off this thread: the server's values are fetched while the rest of init runs (the function's own keys
        // among it, in a call of their own beside this one), and the server's start, which needs them, finds them on their way.
        secrets?.StartFetching();
        try
        {
            settings = WithSecretSettings(settings, parameterStore);
        }
        catch
        {
            secrets?.Dispose();
            throw;
        }

        Settings = settings;
        Adapter = adapter;
        Bridge = new StdioServerBridge(options, ServerRequestRelays.For(settings), secrets, settings.MaxCallerServers, settings.Modern);
        if (secrets is { NamesCaller: true } && settings.OAuth is null)
        {
            Log.Warn("a secret reference names the caller ({sub}), but OAuth is off (MCPLAMBDA_OAUTH_ISSUER): no request has a verified caller, so every one is refused");
        }

        var metrics = RequestMetricsFactory.Create(settings);
        var handlers = new McpHandlers(Bridge, settings, metrics);
        Invocations = new InvocationHandler(adapter, handlers, settings.DeadlineMargin, settings.ResponseStreaming, metrics);

        // During init, beside the server's start: the first request then finds the issuer's keys in hand.
        handlers.ResourceServer?.Keys.StartFetching();

        // Which web pages may call is the deployment's choice, and the default is strict: say which one is in force.
        if (settings.RuntimeApi is not null)
        {
            Log.Info(OriginPolicy.Describe(settings.Http.AllowedOrigins));
        }

        if (settings is { RuntimeApi: not null, OAuth.Facade.KeyIsGenerated: true })
        {
            Log.Warn("OAuth facade: MCPLAMBDA_OAUTH_FACADE_KEY is not set, so this execution environment seals sign-ins with a key of its own, "
                + "and one that another environment finishes fails. Set it to 32 random bytes in base64 (from a SecureString parameter) for every environment.");
        }

        if (settings is { RuntimeApi: not null, Modern.RequestStateKey: null })
        {
            Log.Warn("MCPLAMBDA_REQUEST_STATE_KEY is not set, so this execution environment seals the requestState of multi round-trip requests with a key of its own, "
                + "and a retry that another environment serves is refused. Name the same secret in every environment (ssm:..., 32 random bytes in base64 or a generated text of 32 characters or more): the template's RequestStateKey does.");
        }
    }

    public McpLambdaSettings Settings { get; }

    /// <summary>
    /// <paramref name="settings"/> with the function's own settings that name a secret (the registration facade's key, the
    /// request state's key) resolved in one call to the store <paramref name="store"/> makes; unchanged, and no store made,
    /// when none does.
    /// </summary>
    /// <exception cref="SecretResolutionException">A reference could not be resolved, or its value does not fit the setting; the message names it and why, never the value.</exception>
    internal static McpLambdaSettings WithSecretSettings(McpLambdaSettings settings, Func<IParameterStore> store)
    {
        var named = new Dictionary<string, string>(StringComparer.Ordinal);
        if (settings.OAuth?.Facade?.KeyReference is { } facadeReference)
        {
            named[EnvironmentVariableNames.OAuthFacadeKey] = facadeReference;
        }

        if (settings.Modern.RequestStateKeyReference is { } stateReference)
        {
            named[EnvironmentVariableNames.RequestStateKey] = stateReference;
        }

        if (named.Count == 0)
        {
            return settings;
        }

        // Before the handlers and the bridge exist, which seal with the keys: the call is part of init.
        Dictionary<string, string> values;
        using (var parameters = store())
        {
            values = SecretResolution.ResolveAsync(SecretReference.In(named), parameters, CancellationToken.None).GetAwaiter().GetResult();
        }

        if (values.TryGetValue(EnvironmentVariableNames.OAuthFacadeKey, out var facadeKey) && settings.OAuth is { Facade: { } facade } oauth)
        {
            settings = settings with { OAuth = oauth with { Facade = facade with { Key = Key(EnvironmentVariableNames.OAuthFacadeKey, facadeKey) } } };
        }

        if (values.TryGetValue(EnvironmentVariableNames.RequestStateKey, out var stateKey))
        {
            settings = settings with { Modern = settings.Modern with { RequestStateKey = Key(EnvironmentVariableNames.RequestStateKey, stateKey) } };
        }

        return settings;

        // A secret that holds no key fails as one that cannot be found: named, without its value.
        byte[] Key(string name, string value)
        {
            try
            {
                return McpLambdaSettings.SealingKey(name, value);
            }
            catch (ArgumentException ex)
            {
                throw new SecretResolutionException($"the secret reference {name}={named[name]} holds no key: {ex.Message}", ex);
            }
        }
    }

    public LambdaEventAdapter Adapter { get; }

    public StdioServerBridge Bridge { get; }

    public InvocationHandler Invocations { get; }

    /// <summary>The custom runtime's loop over <paramref name="client"/>.</summary>
    public LambdaRuntimeLoop CreateLoop(RuntimeApiClient client) => new(client, Bridge, Invocations);

    public ValueTask DisposeAsync() => Bridge.DisposeAsync();
}
