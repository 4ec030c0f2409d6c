namespace McpLambda.Runtime;

/// <summary>
/// Deployment-time overrides of what the attributes declared, read from the function's environment so a
/// setting can change without a rebuild: <c>MCPLAMBDA_SERVER_LIFETIME</c> (<c>Warm</c> or <c>PerInvocation</c>).
/// </summary>
internal static class ServerOverrides
{
    public static StdioServerOptions Apply(StdioServerOptions server)
    {
        var lifetime = Environment.GetEnvironmentVariable("MCPLAMBDA_SERVER_LIFETIME");
        if (string.IsNullOrEmpty(lifetime))
        {
            return server;
        }

        if (!Enum.TryParse<McpServerLifetime>(lifetime, ignoreCase: true, out var parsed) || !Enum.IsDefined(parsed))
        {
            throw new ArgumentException($"MCPLAMBDA_SERVER_LIFETIME must be Warm or PerInvocation, not '{lifetime}'.");
        }

        return new StdioServerOptions(server.Command, server.Arguments)
        {
            WorkingDirectory = server.WorkingDirectory,
            EnvironmentVariables = server.EnvironmentVariables,
            InheritEnvironment = server.InheritEnvironment,
            StartupTimeout = server.StartupTimeout,
            Lifetime = parsed,
        };
    }
}
