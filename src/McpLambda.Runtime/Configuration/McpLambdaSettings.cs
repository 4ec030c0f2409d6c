using System.Collections.Immutable;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using McpLambda.Runtime.Authorization;
using McpLambda.Runtime.JsonRpc;
using McpLambda.Runtime.Observability;
using McpLambda.Runtime.Protocol;
using McpLambda.Runtime.StreamableHttp;

namespace McpLambda.Runtime.Configuration;

/// <summary>
/// The function's configuration, read from its environment once at start-up (<see cref="FromEnvironment"/>)
/// and passed to what needs it; nothing else reads the environment. The defaults are those of a function
/// with no configuration at all.
/// </summary>
internal sealed record McpLambdaSettings
{
    /// <summary>See <see cref="AnswerLimits.DefaultMaxResponseBytes"/>.</summary>
    public const int DefaultMaxResponseBytes = AnswerLimits.DefaultMaxResponseBytes;

    /// <summary>See <see cref="AnswerLimits.DefaultMaxStreamedResponseBytes"/>.</summary>
    public const int DefaultMaxStreamedResponseBytes = AnswerLimits.DefaultMaxStreamedResponseBytes;

    /// <summary>See <see cref="AnswerLimits.DefaultMaxBatchLength"/>.</summary>
    public const int DefaultMaxBatchLength = AnswerLimits.DefaultMaxBatchLength;

    /// <summary>The build's choice of response streaming (<c>McpLambdaResponseStreaming</c>), carried as a runtime switch.</summary>
    public const string ResponseStreamingSwitch = "McpLambda.ResponseStreaming";

    /// <summary>The CloudWatch namespace of the metrics when <c>MCPLAMBDA_METRICS_NAMESPACE</c> names none.</summary>
    public const string DefaultMetricsNamespace = "McpLambda";

    /// <summary>The settings of an unconfigured function outside Lambda.</summary>
    public static McpLambdaSettings Default { get; } = new();

    /// <summary>The Runtime API's host and port; null outside Lambda, which means local mode.</summary>
    public string? RuntimeApi { get; init; }

    /// <summary>Whether a managed runtime started the function as its exec wrapper.</summary>
    public bool IsExecWrapper { get; init; }

    /// <summary>How many invocations this execution environment may run at once.</summary>
    public int MaxConcurrency { get; init; } = 1;

    /// <summary>The function's directory: <c>LAMBDA_TASK_ROOT</c> in Lambda, the executable's directory elsewhere.</summary>
    public string FunctionDirectory { get; init; } = AppContext.BaseDirectory;

    /// <summary>The Streamable HTTP rules' settings.</summary>
    public StreamableHttpOptions Http { get; init; } = new();

    /// <summary>The OAuth resource server in front of the HTTP ways in; null when the endpoint takes no tokens.</summary>
    public OAuthSettings? OAuth { get; init; }

    /// <summary>The largest answer sent back; larger ones become a JSON-RPC error.</summary>
    public int MaxResponseBytes { get; init; } = DefaultMaxResponseBytes;

    /// <summary>The largest streamed answer; larger ones become a JSON-RPC error.</summary>
    public int MaxStreamedResponseBytes { get; init; } = DefaultMaxStreamedResponseBytes;

    /// <summary>
    /// Whether HTTP answers are streamed (function URL <c>InvokeMode: RESPONSE_STREAM</c>, API Gateway REST
    /// <c>responseTransferMode: STREAM</c>); it must match how the front door invokes the function.
    /// </summary>
    public bool ResponseStreaming { get; init; }

    /// <summary>
    /// The DynamoDB table that carries clients' answers to the server's requests between execution environments, or null
    /// for none (answers then reach only the environment that asked).
    /// </summary>
    public string? RelayTable { get; init; }

    /// <summary>How often a request waiting for an answer from another environment looks for it in the relay table.</summary>
    public TimeSpan RelayPollInterval { get; init; } = TimeSpan.FromMilliseconds(100);

    /// <summary>A DynamoDB endpoint other than the region's (<c>AWS_ENDPOINT_URL_DYNAMODB</c>), e.g. a local DynamoDB.</summary>
    public string? DynamoDbEndpoint { get; init; }

    /// <summary>The most messages a JSON-RPC batch may hold; a longer batch is rejected whole.</summary>
    public int MaxBatchLength { get; init; } = DefaultMaxBatchLength;

    /// <summary>Time kept back from an invocation's deadline to answer with a timeout error.</summary>
    public TimeSpan DeadlineMargin { get; init; } = TimeSpan.FromMilliseconds(500);

    /// <summary>A deployment-time override of the server's declared lifetime, or null.</summary>
    public McpServerLifetime? ServerLifetime { get; init; }

    /// <summary>Whether an npx server whose package is installed beside the function starts with node directly.</summary>
    public bool ResolveNpx { get; init; } = true;

    /// <summary>The managed .NET runtime passes no deadline: the time each request gets there.</summary>
    public TimeSpan ManagedRuntimeRequestTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Local mode's emulated function timeout.</summary>
    public TimeSpan LocalInvocationTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Origins besides loopback ones that may call local mode's endpoint.</summary>
    public IReadOnlyList<string> LocalAllowedOrigins { get; init; } = [];

    /// <summary>Local mode's port from <c>PORT</c>, as written (a <c>--port</c> argument wins over it).</summary>
    public string? LocalPort { get; init; }

    /// <summary>The function's name (<c>AWS_LAMBDA_FUNCTION_NAME</c>); null outside Lambda.</summary>
    public string? FunctionName { get; init; }

    /// <summary>Lambda's log format control: text lines (the default) or one JSON object per line.</summary>
    public LambdaLogFormat LogFormat { get; init; } = LambdaLogFormat.Text;

    /// <summary>Lambda's log level control: less severe lines are not written.</summary>
    public LambdaLogLevel LogLevel { get; init; } = LambdaLogLevel.Info;

    /// <summary>Whether each invocation writes its requests' metrics in CloudWatch embedded metric format (off unless asked for: custom metrics cost money).</summary>
    public bool Metrics { get; init; }

    /// <summary>The CloudWatch namespace of those metrics.</summary>
    public string MetricsNamespace { get; init; } = DefaultMetricsNamespace;

    /// <summary>
    /// The server's environment as the deployment sets it (<c>MCPLAMBDA_SERVER_ENV_&lt;NAME&gt;</c>), over what the declaration
    /// sets; a value may name a secret (<c>ssm:…</c>).
    /// </summary>
    public IReadOnlyDictionary<string, string> ServerEnvironment { get; init; } = ImmutableDictionary<string, string>.Empty;

    /// <summary>
    /// Names of the function's own variables the deployment passes to the server (<c>MCPLAMBDA_SERVER_PASS_ENV</c>), besides
    /// those the declaration names.
    /// </summary>
    public IReadOnlyList<string> ServerPassEnvironment { get; init; } = Array.Empty<string>();

    /// <summary>How long the server's secret values serve before the next request fetches them again; null for the execution environment's life.</summary>
    public TimeSpan? SecretsTimeToLive { get; init; }

    /// <summary>A Systems Manager endpoint other than the region's (<c>AWS_ENDPOINT_URL_SSM</c>), e.g. a local Parameter Store.</summary>
    public string? SsmEndpoint { get; init; }

    /// <summary>
    /// The most servers that run at once for callers of their own (a secret reference naming <c>{sub}</c>), one per
    /// verified caller; beyond it the least recently used caller's server stops.
    /// </summary>
    public int MaxCallerServers { get; init; } = 4;
    /// <summary>How modern (MCP 2026-07-28) requests are answered: caching hints, and the key that seals multi round-trip request state.</summary>
    public ModernOptions Modern { get; init; } = new();

    /// <summary>Reads the process environment.</summary>
    /// <exception cref="ArgumentException">A setting has a value it cannot take; the message names it.</exception>
    public static McpLambdaSettings FromEnvironment()
        => Read(Environment.GetEnvironmentVariable, Environment.GetEnvironmentVariables().Keys.OfType<string>());

    /// <summary>Reads the settings from <paramref name="variable"/>, which maps a name to its value or null.</summary>
    /// <param name="variable">Maps a name to its value or null.</param>
    /// <param name="names">Every name set, where prefixed names are looked for (<c>MCPLAMBDA_SERVER_ENV_*</c>); none when null.</param>
    public static McpLambdaSettings Read(Func<string, string?> variable, IEnumerable<string>? names = null)
    {
        var defaults = Default;
        var origins = variable(EnvironmentVariableNames.AllowedOrigins);
        return new McpLambdaSettings
        {
            RuntimeApi = NonEmpty(variable(EnvironmentVariableNames.RuntimeApi)),
            IsExecWrapper = NonEmpty(variable(EnvironmentVariableNames.ExecWrapper)) is not null,
            MaxConcurrency = Positive(variable(EnvironmentVariableNames.MaxConcurrency)) ?? defaults.MaxConcurrency,
            FunctionDirectory = NonEmpty(variable(EnvironmentVariableNames.TaskRoot)) ?? defaults.FunctionDirectory,
            Http = new StreamableHttpOptions
            {
                AllowedOrigins = ReadOrigins(origins, deployed: NonEmpty(variable(EnvironmentVariableNames.RuntimeApi)) is not null),
                MaxRequestBodyBytes = Positive(variable(EnvironmentVariableNames.MaxBodyBytes)) ?? defaults.Http.MaxRequestBodyBytes,
            },
            OAuth = ReadOAuth(variable),
            MaxResponseBytes = Positive(variable(EnvironmentVariableNames.MaxResponseBytes)) ?? defaults.MaxResponseBytes,
            MaxStreamedResponseBytes = Positive(variable(EnvironmentVariableNames.MaxStreamedResponseBytes)) ?? defaults.MaxStreamedResponseBytes,
            ResponseStreaming = Flag(variable, EnvironmentVariableNames.ResponseStreaming)
                ?? (AppContext.TryGetSwitch(ResponseStreamingSwitch, out var streaming) && streaming),
            RelayTable = NonEmpty(variable(EnvironmentVariableNames.RelayTable)?.Trim()),
            RelayPollInterval = Positive(variable(EnvironmentVariableNames.RelayPollMilliseconds)) is { } poll ? TimeSpan.FromMilliseconds(poll) : defaults.RelayPollInterval,
            DynamoDbEndpoint = NonEmpty(variable(EnvironmentVariableNames.DynamoDbEndpoint)),
            MaxBatchLength = Positive(variable(EnvironmentVariableNames.MaxBatchLength)) ?? defaults.MaxBatchLength,
            DeadlineMargin = int.TryParse(variable(EnvironmentVariableNames.DeadlineMarginMilliseconds), out var margin) && margin >= 0
                ? TimeSpan.FromMilliseconds(margin)
                : defaults.DeadlineMargin,
            ServerLifetime = ReadLifetime(variable(EnvironmentVariableNames.ServerLifetime)),
            ResolveNpx = Flag(variable, EnvironmentVariableNames.ResolveNpx) ?? defaults.ResolveNpx,
            ManagedRuntimeRequestTimeout = Seconds(variable(EnvironmentVariableNames.RequestTimeoutSeconds)) ?? defaults.ManagedRuntimeRequestTimeout,
            LocalInvocationTimeout = Seconds(variable(EnvironmentVariableNames.LocalTimeoutSeconds)) ?? defaults.LocalInvocationTimeout,
            LocalPort = variable(EnvironmentVariableNames.Port),
            FunctionName = NonEmpty(variable(EnvironmentVariableNames.FunctionName)),
            LogFormat = string.Equals(variable(EnvironmentVariableNames.LogFormat)?.Trim(), "JSON", StringComparison.OrdinalIgnoreCase)
                ? LambdaLogFormat.Json
                : LambdaLogFormat.Text,
            LogLevel = LogLevelNames.Parse(variable(EnvironmentVariableNames.LogLevel)) ?? defaults.LogLevel,
            Metrics = IsOn(variable(EnvironmentVariableNames.Metrics)),
            MetricsNamespace = NonEmpty(variable(EnvironmentVariableNames.MetricsNamespace)?.Trim()) ?? defaults.MetricsNamespace,
            ServerEnvironment = ReadServerEnvironment(variable, names ?? []),
            ServerPassEnvironment = ReadPassEnvironment(variable(EnvironmentVariableNames.ServerPassEnvironment)),
            SecretsTimeToLive = Seconds(variable(EnvironmentVariableNames.SecretsTimeToLiveSeconds)),
            SsmEndpoint = NonEmpty(variable(EnvironmentVariableNames.SsmEndpoint)),
            MaxCallerServers = Positive(variable(EnvironmentVariableNames.MaxCallerServers)) ?? defaults.MaxCallerServers,
            Modern = ReadModern(variable),
            LocalAllowedOrigins = (variable(EnvironmentVariableNames.LocalAllowedOrigins) ?? "")
                .Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries),
        };
    }

    /// <summary>The server as declared, placed in the function's directory and with the deployment's overrides applied.</summary>
    public StdioServerOptions ApplyTo(StdioServerOptions server)
        => server with
        {
            FunctionDirectory = FunctionDirectory,
            EnvironmentVariables = WithServerEnvironment(server.EnvironmentVariables),
            PassEnvironment = ServerPassEnvironment.Count == 0 ? server.PassEnvironment : [.. server.PassEnvironment.Union(ServerPassEnvironment, StringComparer.Ordinal)],
            Lifetime = ServerLifetime ?? server.Lifetime,
            ResolveNpx = server.ResolveNpx && ResolveNpx,
            MaxMessageBytes = ResponseStreaming ? Math.Max(MaxStreamedResponseBytes, LambdaLimits.PayloadBytes) : LambdaLimits.PayloadBytes,
        };

    /// <summary>The declared environment with the deployment's variables over it.</summary>
    private IReadOnlyDictionary<string, string> WithServerEnvironment(IReadOnlyDictionary<string, string> declared)
    {
        if (ServerEnvironment.Count == 0)
        {
            return declared;
        }

        var environment = new Dictionary<string, string>(declared, StringComparer.Ordinal);
        foreach (var (name, value) in ServerEnvironment)
        {
            environment[name] = value;
        }

        return environment;
    }

    /// <summary>OAuth is on when an issuer is named; the other <c>MCPLAMBDA_OAUTH_*</c> variables refine it.</summary>
    private static OAuthSettings? ReadOAuth(Func<string, string?> variable)
    {
        if (NonEmpty(variable(EnvironmentVariableNames.OAuthIssuer)?.Trim()) is not { } issuer)
        {
            return null;
        }

        if (!Uri.TryCreate(issuer, UriKind.Absolute, out var issuerUri) || !IssuerUrls.IsSecure(issuerUri))
        {
            throw new ArgumentException($"{EnvironmentVariableNames.OAuthIssuer} must be an https URL (http only on loopback), not '{issuer}'.");
        }

        var resource = NonEmpty(variable(EnvironmentVariableNames.OAuthResource)?.Trim());
        if (resource is not null && (!Uri.TryCreate(resource, UriKind.Absolute, out _) || resource.Contains('#')))
        {
            throw new ArgumentException($"{EnvironmentVariableNames.OAuthResource} must be the endpoint's absolute URL, not '{resource}'.");
        }

        var facade = ReadFacade(variable);
        var authorizationServers = List(variable(EnvironmentVariableNames.OAuthAuthorizationServers));
        if (facade is not null && authorizationServers.Length > 0)
        {
            throw new ArgumentException($"{EnvironmentVariableNames.OAuthAuthorizationServers} cannot be set with {EnvironmentVariableNames.OAuthFacadeClientId}: the facade is the clients' authorization server.");
        }

        var clientIds = List(variable(EnvironmentVariableNames.OAuthClientIds));
        return new OAuthSettings
        {
            Issuer = issuer,
            Audiences = List(variable(EnvironmentVariableNames.OAuthAudience)),

            // The facade's tokens are issued to its client; a provider that names no audience (Cognito) names that client.
            ClientIds = facade is null ? clientIds : [.. clientIds.Append(facade.ClientId).Distinct(StringComparer.Ordinal)],
            Scopes = List(variable(EnvironmentVariableNames.OAuthScopes)),
            Resource = resource is null ? null : new Uri(resource),
            AuthorizationServers = authorizationServers,
            Facade = facade,
        };
    }

    /// <summary>The registration facade is on when its client is named; without a key, one is made up for this process.</summary>
    private static RegistrationFacadeSettings? ReadFacade(Func<string, string?> variable)
    {
        if (NonEmpty(variable(EnvironmentVariableNames.OAuthFacadeClientId)?.Trim()) is not { } clientId)
        {
            return null;
        }

        var (key, keyReference) = ReadSealingKey(variable, EnvironmentVariableNames.OAuthFacadeKey);
        return new RegistrationFacadeSettings
        {
            ClientId = clientId,
            Key = key ?? (keyReference is null ? RandomNumberGenerator.GetBytes(FlowSeal.KeyBytes) : []),
            KeyReference = keyReference,
            KeyIsGenerated = key is null && keyReference is null,
            RedirectUris = ReadRedirectUris(variable(EnvironmentVariableNames.OAuthRedirectUris)),
        };
    }

    /// <summary>
    /// A sealing key named by <paramref name="name"/>: its bytes, or the secret reference (<c>ssm:…</c>) that holds them,
    /// resolved during init; neither when the variable is not set.
    /// </summary>
    private static (byte[]? Key, string? Reference) ReadSealingKey(Func<string, string?> variable, string name)
        => NonEmpty(variable(name)?.Trim()) switch
        {
            null => (null, null),
            var reference when reference.StartsWith("ssm:", StringComparison.Ordinal) => (null, reference),
            var text => (SealingKey(name, text), null),
        };

    /// <summary>The modern protocol's settings: caching hints and the request state's sealing key.</summary>
    private static ModernOptions ReadModern(Func<string, string?> variable)
    {
        var scope = NonEmpty(variable(EnvironmentVariableNames.CacheScope)?.Trim()) ?? "private";
        if (scope is not ("private" or "public"))
        {
            throw new ArgumentException($"{EnvironmentVariableNames.CacheScope} must be private or public, not '{scope}'.");
        }

        var ttl = NonEmpty(variable(EnvironmentVariableNames.CacheTtlMilliseconds)?.Trim());
        if (ttl is not null && !long.TryParse(ttl, NumberStyles.None, CultureInfo.InvariantCulture, out _))
        {
            throw new ArgumentException($"{EnvironmentVariableNames.CacheTtlMilliseconds} must be a whole number of milliseconds, not '{ttl}'.");
        }

        var (key, reference) = ReadSealingKey(variable, EnvironmentVariableNames.RequestStateKey);
        return new ModernOptions
        {
            CacheTtlMs = ttl is null ? 0 : long.Parse(ttl, CultureInfo.InvariantCulture),
            CacheScope = scope,
            RequestStateKey = key,
            RequestStateKeyReference = reference,
        };
    }

    /// <summary>The shortest text a sealing key is derived from: 32 characters of a generated secret hold well over 128 bits.</summary>
    public const int MinKeyTextLength = 32;

    /// <summary>The facade's sealing key from its base64 text (the variable's value, or the secret it names).</summary>
    /// <exception cref="ArgumentException">It is not <see cref="FlowSeal.KeyBytes"/> bytes in base64.</exception>
    public static byte[] FacadeKey(string base64) => SealingKey(EnvironmentVariableNames.OAuthFacadeKey, base64);

    /// <summary>
    /// A sealing key from the value of <paramref name="name"/> or the secret it names: <see cref="FlowSeal.KeyBytes"/>
    /// bytes in base64, or a generated text of at least <see cref="MinKeyTextLength"/> characters (what Secrets Manager's
    /// <c>GenerateSecretString</c> makes, and all CloudFormation can), from which the key is derived with HKDF-SHA256 and
    /// <paramref name="name"/> as its context, so one text never gives two settings the same key.
    /// </summary>
    /// <exception cref="ArgumentException">It is neither.</exception>
    public static byte[] SealingKey(string name, string text)
    {
        text = text.Trim();
        var key = new byte[FlowSeal.KeyBytes];
        if (Convert.TryFromBase64String(text, key, out var written) && written == FlowSeal.KeyBytes)
        {
            return key;
        }

        return text.Length >= MinKeyTextLength
            ? HKDF.DeriveKey(HashAlgorithmName.SHA256, Encoding.UTF8.GetBytes(text), FlowSeal.KeyBytes, salt: [], info: Encoding.UTF8.GetBytes(name))
            : throw new ArgumentException($"{name} must be {FlowSeal.KeyBytes} random bytes in base64 (openssl rand -base64 {FlowSeal.KeyBytes}) or a generated text of at least {MinKeyTextLength} characters.");
    }

    /// <summary>The facade's redirect URI patterns: the default list unless the variable replaces it.</summary>
    private static RedirectUriAllowList ReadRedirectUris(string? value)
    {
        try
        {
            return List(value) is { Length: > 0 } patterns ? new RedirectUriAllowList(patterns) : RedirectUriAllowList.Default;
        }
        catch (ArgumentException ex)
        {
            throw new ArgumentException($"{EnvironmentVariableNames.OAuthRedirectUris}: {ex.Message}", ex);
        }
    }

    /// <summary>A list written with commas or spaces between its items.</summary>
    private static string[] List(string? value)
        => (value ?? "").Split([',', ' '], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    /// <summary><c>MCPLAMBDA_SERVER_ENV_&lt;NAME&gt;=value</c> for each <c>NAME</c>: the deployment's part of the server's environment.</summary>
    private static IReadOnlyDictionary<string, string> ReadServerEnvironment(Func<string, string?> variable, IEnumerable<string> names)
    {
        var prefix = EnvironmentVariableNames.ServerEnvironmentPrefix;
        var environment = names
            .Where(name => name.Length > prefix.Length && name.StartsWith(prefix, StringComparison.Ordinal))
            .Distinct(StringComparer.Ordinal)
            .ToDictionary(name => name[prefix.Length..], name => variable(name) ?? "", StringComparer.Ordinal);

        // The shared empty one when there are none, so that settings compare equal to the defaults.
        return environment.Count == 0 ? ImmutableDictionary<string, string>.Empty : environment;
    }

    /// <summary>
    /// The names a deployment passes to the server, comma- or space-separated. A credential is refused rather than dropped:
    /// a function whose server silently lacks a variable it was configured to get fails later and less clearly.
    /// </summary>
    private static string[] ReadPassEnvironment(string? value)
    {
        var names = List(value);
        if (names.FirstOrDefault(name => EnvironmentVariableNames.WithheldFromServer.Contains(name, StringComparer.Ordinal)) is { } withheld)
        {
            throw new ArgumentException($"{EnvironmentVariableNames.ServerPassEnvironment} names {withheld}, which never reaches the server: the execution role's credentials and the Runtime API's address stay with the function (InheritEnvironment passes everything, for a server that must act as the role).");
        }

        if (names.FirstOrDefault(name => name.Contains('=', StringComparison.Ordinal)) is { } assignment)
        {
            throw new ArgumentException($"{EnvironmentVariableNames.ServerPassEnvironment} lists names of the function's variables, not '{assignment}': to set a value for the server, use {EnvironmentVariableNames.ServerEnvironmentPrefix}<NAME>.");
        }

        // The shared empty one when there are none, so that settings compare equal to the defaults.
        return names.Length == 0 ? Array.Empty<string>() : names;
    }

    /// <summary>
    /// <c>*</c> lets every origin call, a list those besides the function's own. Unset, a function under the Lambda Runtime
    /// API serves its own origin only (the MCP transport requires servers to check <c>Origin</c>), and local mode every
    /// origin (its front door admits loopback ones only).
    /// </summary>
    private static string[]? ReadOrigins(string? value, bool deployed) => value?.Trim() switch
    {
        null or "" => deployed ? [] : null,
        "*" => null,
        var list => list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries),
    };

    private static McpServerLifetime? ReadLifetime(string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return null;
        }

        if (!Enum.TryParse<McpServerLifetime>(value, ignoreCase: true, out var parsed) || !Enum.IsDefined(parsed))
        {
            throw new ArgumentException($"{EnvironmentVariableNames.ServerLifetime} must be Warm or PerInvocation, not '{value}'.");
        }

        return parsed;
    }

    private static bool IsOn(string? value) => value?.Trim().ToLowerInvariant() is "true" or "on" or "1";

    /// <summary>A boolean switch: <c>true</c>/<c>1</c> or <c>false</c>/<c>0</c>, null when unset; anything else is refused rather than guessed.</summary>
    private static bool? Flag(Func<string, string?> variable, string name)
    {
        var value = variable(name);
        return value?.Trim().ToLowerInvariant() switch
        {
            "true" or "1" => true,
            "false" or "0" => false,
            null or "" => null,
            _ => throw new ArgumentException($"{name} must be true or false, not '{value}'."),
        };
    }

    private static string? NonEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;

    private static int? Positive(string? value)
        => int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) && n > 0 ? n : null;

    private static TimeSpan? Seconds(string? value) => Positive(value) is { } seconds ? TimeSpan.FromSeconds(seconds) : null;
}
