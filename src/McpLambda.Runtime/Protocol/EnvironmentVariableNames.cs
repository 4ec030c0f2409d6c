namespace McpLambda.Runtime.Protocol;

/// <summary>
/// Every environment variable the runtime reads, in one place (as Amazon.Lambda.RuntimeSupport keeps them in
/// its <c>Constants</c>). <c>McpLambdaSettings.FromEnvironment</c> is the only reader.
/// </summary>
internal static class EnvironmentVariableNames
{
    // Set by Lambda.
    public const string RuntimeApi = "AWS_LAMBDA_RUNTIME_API";
    public const string ExecWrapper = "AWS_LAMBDA_EXEC_WRAPPER";
    public const string MaxConcurrency = "AWS_LAMBDA_MAX_CONCURRENCY";
    public const string TaskRoot = "LAMBDA_TASK_ROOT";
    public const string FunctionName = "AWS_LAMBDA_FUNCTION_NAME";
    public const string LogFormat = "AWS_LAMBDA_LOG_FORMAT";
    public const string LogLevel = "AWS_LAMBDA_LOG_LEVEL";

    // The AWS SDKs' own name for a service endpoint (e.g. a local DynamoDB).
    public const string DynamoDbEndpoint = "AWS_ENDPOINT_URL_DYNAMODB";
    public const string SsmEndpoint = "AWS_ENDPOINT_URL_SSM";

    // The function's own configuration.
    public const string AllowedOrigins = "MCPLAMBDA_ALLOWED_ORIGINS";
    public const string OAuthIssuer = "MCPLAMBDA_OAUTH_ISSUER";
    public const string OAuthAudience = "MCPLAMBDA_OAUTH_AUDIENCE";
    public const string OAuthClientIds = "MCPLAMBDA_OAUTH_CLIENT_IDS";
    public const string OAuthScopes = "MCPLAMBDA_OAUTH_SCOPES";
    public const string OAuthResource = "MCPLAMBDA_OAUTH_RESOURCE";
    public const string OAuthAuthorizationServers = "MCPLAMBDA_OAUTH_AUTHORIZATION_SERVERS";
    public const string OAuthFacadeClientId = "MCPLAMBDA_OAUTH_FACADE_CLIENT_ID";
    public const string OAuthFacadeKey = "MCPLAMBDA_OAUTH_FACADE_KEY";
    public const string OAuthRedirectUris = "MCPLAMBDA_OAUTH_REDIRECT_URIS";
    public const string CacheTtlMilliseconds = "MCPLAMBDA_CACHE_TTL_MS";
    public const string CacheScope = "MCPLAMBDA_CACHE_SCOPE";
    public const string RequestStateKey = "MCPLAMBDA_REQUEST_STATE_KEY";
    public const string MaxBodyBytes = "MCPLAMBDA_MAX_BODY_BYTES";
    public const string MaxResponseBytes = "MCPLAMBDA_MAX_RESPONSE_BYTES";
    public const string DeadlineMarginMilliseconds = "MCPLAMBDA_DEADLINE_MARGIN_MS";
    public const string ServerLifetime = "MCPLAMBDA_SERVER_LIFETIME";
    public const string RequestTimeoutSeconds = "MCPLAMBDA_REQUEST_TIMEOUT_SECONDS";
    public const string ResolveNpx = "MCPLAMBDA_RESOLVE_NPX";
    public const string MaxBatchLength = "MCPLAMBDA_MAX_BATCH_LENGTH";
    public const string ResponseStreaming = "MCPLAMBDA_RESPONSE_STREAMING";
    public const string MaxStreamedResponseBytes = "MCPLAMBDA_MAX_STREAMED_RESPONSE_BYTES";
    public const string RelayTable = "MCPLAMBDA_RELAY_TABLE";
    public const string RelayPollMilliseconds = "MCPLAMBDA_RELAY_POLL_MS";
    public const string Metrics = "MCPLAMBDA_METRICS";
    public const string MetricsNamespace = "MCPLAMBDA_METRICS_NAMESPACE";
    public const string SecretsTimeToLiveSeconds = "MCPLAMBDA_SECRETS_TTL_SECONDS";
    public const string MaxCallerServers = "MCPLAMBDA_MAX_CALLER_SERVERS";

    public const string ServerPassEnvironment = "MCPLAMBDA_SERVER_PASS_ENV";

    // Never passed to the server, whatever names it is given: the execution role's credentials, and how to reach the Runtime API.
    public static readonly IReadOnlyList<string> WithheldFromServer =
    [
        "AWS_ACCESS_KEY_ID",
        "AWS_SECRET_ACCESS_KEY",
        "AWS_SESSION_TOKEN",
        "AWS_CONTAINER_CREDENTIALS_FULL_URI",
        "AWS_CONTAINER_AUTHORIZATION_TOKEN",
        RuntimeApi,
    ];

    // A prefix: MCPLAMBDA_SERVER_ENV_<NAME> sets <NAME> in the server's environment.
    public const string ServerEnvironmentPrefix = "MCPLAMBDA_SERVER_ENV_";

    // Local mode.
    public const string LocalTimeoutSeconds = "MCPLAMBDA_LOCAL_TIMEOUT_SECONDS";
    public const string LocalAllowedOrigins = "MCPLAMBDA_LOCAL_ALLOWED_ORIGINS";
    public const string Port = "PORT";
}
