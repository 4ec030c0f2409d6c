using McpLambda.Runtime.Protocol;

namespace McpLambda.Runtime.Bridge;

/// <summary>
/// The variables of the function's environment a server that does not inherit it still gets: what binaries from
/// layers and the runtime's own tools need to run (libraries, region, time zone, locale, certificates, where the
/// function lives), and nothing that grants access: the function's credentials and the Runtime API's address stay
/// behind.
/// </summary>
internal static class ServerEnvironment
{
    /// <summary>Passed through when set.</summary>
    public static readonly IReadOnlyList<string> PassedThrough =
    [
        "LD_LIBRARY_PATH",
        "AWS_REGION",
        "AWS_DEFAULT_REGION",
        "AWS_EXECUTION_ENV",
        "AWS_LAMBDA_FUNCTION_NAME",
        "AWS_LAMBDA_FUNCTION_VERSION",
        "AWS_LAMBDA_FUNCTION_MEMORY_SIZE",
        "AWS_LAMBDA_LOG_GROUP_NAME",
        "AWS_LAMBDA_LOG_STREAM_NAME",
        "LAMBDA_TASK_ROOT",
        "LAMBDA_RUNTIME_DIR",
        "TZ",
        "LANG",
        "LC_ALL",
        "TMPDIR",
        "NODE_PATH",
        "NODE_EXTRA_CA_CERTS",
        "SSL_CERT_FILE",
        "SSL_CERT_DIR",
    ];

    /// <summary>Never passed through, whatever else is: the credentials, and how to reach the Runtime API.</summary>
    public static IReadOnlyList<string> Withheld => EnvironmentVariableNames.WithheldFromServer;

    /// <summary>
    /// Adds to <paramref name="environment"/> the passed-through variables <paramref name="parent"/> has set: the fixed
    /// ones and the server's <paramref name="named"/> ones.
    /// </summary>
    public static void AddPassedThrough(Dictionary<string, string?> environment, Func<string, string?> parent, IEnumerable<string> named)
    {
        foreach (var name in PassedThrough.Concat(named))
        {
            if (parent(name) is { Length: > 0 } value)
            {
                environment[name] = value;
            }
        }

        foreach (var name in Withheld)
        {
            environment.Remove(name);
        }
    }
}
