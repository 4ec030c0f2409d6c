namespace McpLambda.Runtime;

/// <summary>
/// How to start the wrapped stdio MCP server; the generated code builds it from <c>[McpStdioServer]</c>. A record,
/// so a deployment-time setting overrides one option with <c>with</c> and keeps every other.
/// </summary>
public sealed record StdioServerOptions
{
    /// <summary>Creates options for <paramref name="command"/> with <paramref name="arguments"/>.</summary>
    /// <param name="command">The executable, found on <c>PATH</c> or given as a path.</param>
    /// <param name="arguments">The arguments, passed as they are.</param>
    public StdioServerOptions(string command, IReadOnlyList<string> arguments)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(command);
        Command = command;
        Arguments = arguments ?? [];
    }

    /// <summary>The executable.</summary>
    public string Command { get; }

    /// <summary>The arguments.</summary>
    public IReadOnlyList<string> Arguments { get; }

    /// <summary>The working directory; relative paths are taken from the function's directory.</summary>
    public string? WorkingDirectory { get; init; }

    /// <summary>Extra environment variables for the server.</summary>
    public IReadOnlyDictionary<string, string> EnvironmentVariables { get; init; } = new Dictionary<string, string>();

    /// <summary>
    /// Names of the function's own environment variables passed to the server as they are (when set); the credentials and
    /// the Runtime API's address never are. The deployment adds names with <c>MCPLAMBDA_SERVER_PASS_ENV</c>.
    /// </summary>
    public IReadOnlyList<string> PassEnvironment { get; init; } = [];

    /// <summary>Pass the function's whole environment (AWS credentials included) to the server.</summary>
    public bool InheritEnvironment { get; init; }

    /// <summary>Time the server has to start and answer <c>initialize</c>.</summary>
    public TimeSpan StartupTimeout { get; init; } = TimeSpan.FromSeconds(McpStdioServerAttribute.DefaultStartupTimeoutSeconds);

    /// <summary>
    /// Whether <c>npx [--offline|-y] &lt;package&gt; [args]</c> starts as <c>node &lt;the package's bin script&gt; [args]</c>
    /// when the package is installed beside the function, skipping npx's own start-up (hundreds of milliseconds of a
    /// cold start). On by default; <c>MCPLAMBDA_RESOLVE_NPX=false</c> turns it off.
    /// </summary>
    public bool ResolveNpx { get; init; } = true;

    /// <summary>Whether one process serves every invocation or each gets its own.</summary>
    public McpServerLifetime Lifetime { get; init; } = McpServerLifetime.Warm;

    /// <summary>
    /// The function's directory, which a relative <see cref="WorkingDirectory"/> is taken from; set from the
    /// settings at start-up (<c>LAMBDA_TASK_ROOT</c>), the executable's directory when not.
    /// </summary>
    internal string? FunctionDirectory { get; init; }

    /// <summary>
    /// Whether the server is told, at its handshake, that its client can answer sampling and elicitation requests: true
    /// unless a caller turns it off, as a modern client answers them through multi round-trip requests (a legacy one only
    /// on a streamed answer).
    /// </summary>
    internal bool OffersClientRequests { get; init; } = true;

    /// <summary>
    /// The longest message read from the server: no longer answer could be sent back anyway. Lambda's payload limit for
    /// buffered responses; the streamed answer limit when the function streams.
    /// </summary>
    internal int MaxMessageBytes { get; init; } = Protocol.LambdaLimits.PayloadBytes;

    /// <summary>
    /// How long start waits, after the server answered <c>initialize</c>, for its answer to the <c>server/discover</c>
    /// probe sent just before: a legacy server may answer the probe with an error or not at all (then it is legacy).
    /// </summary>
    internal TimeSpan DiscoverProbeBound { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>The command line as one display string, for logs and errors.</summary>
    public override string ToString() => Arguments.Count == 0 ? Command : Command + " " + string.Join(' ', Arguments);
}
