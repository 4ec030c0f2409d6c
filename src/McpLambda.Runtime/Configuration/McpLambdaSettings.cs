using System.Globalization;
using McpLambda.Runtime.Hosting;
using McpLambda.Runtime.StreamableHttp;

namespace McpLambda.Runtime.Configuration;

/// <summary>
/// The function's configuration, read from its environment once at start-up (<see cref="FromEnvironment"/>)
/// and passed to what needs it; nothing else reads the environment. The defaults are those of a function
/// with no configuration at all.
/// </summary>
internal sealed record McpLambdaSettings
{
    /// <summary>Answers larger than this are replaced by an error: Lambda's 6 MiB less 64 KiB for the response event's envelope.</summary>
    public const int DefaultMaxResponseBytes = LambdaLimits.PayloadBytes - (64 * 1024);

    /// <summary>
    /// Streamed answers may be larger (Lambda streams up to 200 MB), but the bridge holds and parses an answer whole, so
    /// the default stays well within a function's memory.
    /// </summary>
    public const int DefaultMaxStreamedResponseBytes = 32 * 1024 * 1024;

    /// <summary>The build's choice of response streaming (<c>McpLambdaResponseStreaming</c>), carried as a runtime switch.</summary>
    public const string ResponseStreamingSwitch = "McpLambda.ResponseStreaming";

    /// <summary>A longer JSON-RPC batch is rejected whole: a 6 MiB body could otherwise hold some 150,000 messages.</summary>
    public const int DefaultMaxBatchLength = 100;

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

    /// <summary>The largest answer sent back; larger ones become a JSON-RPC error.</summary>
    public int MaxResponseBytes { get; init; } = DefaultMaxResponseBytes;

    /// <summary>The largest streamed answer; larger ones become a JSON-RPC error.</summary>
    public int MaxStreamedResponseBytes { get; init; } = DefaultMaxStreamedResponseBytes;

    /// <summary>
    /// Whether HTTP answers are streamed (function URL <c>InvokeMode: RESPONSE_STREAM</c>, API Gateway REST
    /// <c>responseTransferMode: STREAM</c>); it must match how the front door invokes the function.
    /// </summary>
    public bool ResponseStreaming { get; init; }

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

    /// <summary>Reads the process environment.</summary>
    /// <exception cref="ArgumentException">A setting has a value it cannot take; the message names it.</exception>
    public static McpLambdaSettings FromEnvironment() => Read(Environment.GetEnvironmentVariable);

    /// <summary>Reads the settings from <paramref name="variable"/>, which maps a name to its value or null.</summary>
    public static McpLambdaSettings Read(Func<string, string?> variable)
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
                AllowedOrigins = string.IsNullOrWhiteSpace(origins) || origins.Trim() == "*"
                    ? null
                    : origins.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries),
                MaxRequestBodyBytes = Positive(variable(EnvironmentVariableNames.MaxBodyBytes)) ?? defaults.Http.MaxRequestBodyBytes,
            },
            MaxResponseBytes = Positive(variable(EnvironmentVariableNames.MaxResponseBytes)) ?? defaults.MaxResponseBytes,
            MaxStreamedResponseBytes = Positive(variable(EnvironmentVariableNames.MaxStreamedResponseBytes)) ?? defaults.MaxStreamedResponseBytes,
            ResponseStreaming = Flag(variable(EnvironmentVariableNames.ResponseStreaming))
                ?? (AppContext.TryGetSwitch(ResponseStreamingSwitch, out var streaming) && streaming),
            MaxBatchLength = Positive(variable(EnvironmentVariableNames.MaxBatchLength)) ?? defaults.MaxBatchLength,
            DeadlineMargin = int.TryParse(variable(EnvironmentVariableNames.DeadlineMarginMilliseconds), out var margin) && margin >= 0
                ? TimeSpan.FromMilliseconds(margin)
                : defaults.DeadlineMargin,
            ServerLifetime = ReadLifetime(variable(EnvironmentVariableNames.ServerLifetime)),
            ResolveNpx = !string.Equals(variable(EnvironmentVariableNames.ResolveNpx)?.Trim(), "false", StringComparison.OrdinalIgnoreCase),
            ManagedRuntimeRequestTimeout = Seconds(variable(EnvironmentVariableNames.RequestTimeoutSeconds)) ?? defaults.ManagedRuntimeRequestTimeout,
            LocalInvocationTimeout = Seconds(variable(EnvironmentVariableNames.LocalTimeoutSeconds)) ?? defaults.LocalInvocationTimeout,
            LocalPort = variable(EnvironmentVariableNames.Port),
            LocalAllowedOrigins = (variable(EnvironmentVariableNames.LocalAllowedOrigins) ?? "")
                .Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries),
        };
    }

    /// <summary>The server as declared, placed in the function's directory and with the deployment's overrides applied.</summary>
    public StdioServerOptions ApplyTo(StdioServerOptions server)
        => server with
        {
            FunctionDirectory = FunctionDirectory,
            Lifetime = ServerLifetime ?? server.Lifetime,
            ResolveNpx = server.ResolveNpx && ResolveNpx,
            MaxMessageBytes = ResponseStreaming ? Math.Max(MaxStreamedResponseBytes, LambdaLimits.PayloadBytes) : LambdaLimits.PayloadBytes,
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

    private static bool? Flag(string? value) => value?.Trim().ToLowerInvariant() switch
    {
        "true" or "1" => true,
        "false" or "0" => false,
        null or "" => null,
        _ => throw new ArgumentException($"{EnvironmentVariableNames.ResponseStreaming} must be true or false, not '{value}'."),
    };

    private static string? NonEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;

    private static int? Positive(string? value)
        => int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) && n > 0 ? n : null;

    private static TimeSpan? Seconds(string? value) => Positive(value) is { } seconds ? TimeSpan.FromSeconds(seconds) : null;
}
