namespace McpLambda;

/// <summary>
/// Declares the stdio MCP server that a Lambda function hosts. The class it is applied to must be
/// a top-level, non-generic <c>partial</c> class; the McpLambda generator adds the function's
/// entry point to it.
/// </summary>
/// <example>
/// <code>
/// [McpStdioServer("npx", "--offline", "@modelcontextprotocol/server-everything")]
/// [McpTransport(McpTransport.ApiGateway)]
/// public partial class EverythingFunction;
/// </code>
/// </example>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false, Inherited = false)]
public sealed class McpStdioServerAttribute : Attribute
{
    /// <summary>Declares the command that starts the server, and its arguments.</summary>
    /// <param name="command">The executable, found on <c>PATH</c> or given as a path.</param>
    /// <param name="args">The arguments, passed as they are (no shell).</param>
    public McpStdioServerAttribute(string command, params string[] args)
    {
        Command = command;
        Arguments = args ?? [];
    }

    /// <summary>The executable that starts the server.</summary>
    public string Command { get; }

    /// <summary>The arguments passed to <see cref="Command"/>.</summary>
    public string[] Arguments { get; }

    /// <summary>
    /// The server's working directory. A relative path is taken from the function's directory
    /// (<c>LAMBDA_TASK_ROOT</c> in Lambda, the executable's directory locally).
    /// </summary>
    public string? WorkingDirectory { get; set; }

    /// <summary>
    /// Extra environment variables for the server, each as <c>"KEY=VALUE"</c>. The server gets
    /// only <c>PATH</c>, <c>HOME</c> and a few other basics besides these, unless
    /// <see cref="InheritEnvironment"/> is set.
    /// </summary>
    public string[] EnvironmentVariables { get; set; } = [];

    /// <summary>
    /// Names of variables of the function's own environment passed to the server as they are, such as a token set on
    /// the function (<c>GITHUB_TOKEN</c>); the deployment can add names with <c>MCPLAMBDA_SERVER_PASS_ENV</c>. The
    /// execution role's credentials and <c>AWS_LAMBDA_RUNTIME_API</c> cannot be named (see <see cref="InheritEnvironment"/>).
    /// </summary>
    public string[] PassEnvironment { get; set; } = [];

    /// <summary>
    /// Pass the function's whole environment to the server, including the execution role's AWS
    /// credentials. Off by default: a wrapped server should not hold credentials it was not given
    /// on purpose.
    /// </summary>
    public bool InheritEnvironment { get; set; }

    /// <summary>The default of <see cref="StartupTimeoutSeconds"/>.</summary>
    public const int DefaultStartupTimeoutSeconds = 30;

    /// <summary>Seconds the server has to start and answer <c>initialize</c>. Default 30.</summary>
    public int StartupTimeoutSeconds { get; set; } = DefaultStartupTimeoutSeconds;

    /// <summary>Whether one server process is reused across invocations. Default <see cref="McpServerLifetime.Warm"/>.</summary>
    public McpServerLifetime Lifetime { get; set; } = McpServerLifetime.Warm;

    /// <summary>
    /// Whether the generator emits <c>static Task&lt;int&gt; Main(string[])</c> for the custom runtime.
    /// Set to <see langword="false"/> to write your own entry point and call the generated
    /// <c>RunAsync</c> from it.
    /// </summary>
    public bool GenerateMain { get; set; } = true;
}
