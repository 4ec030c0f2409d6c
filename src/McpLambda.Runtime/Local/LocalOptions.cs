using System.Globalization;

namespace McpLambda.Runtime.Local;

/// <summary>Local mode's settings: <c>--port N</c> or <c>PORT</c>, and the emulated function timeout.</summary>
internal static class LocalOptions
{
    public static bool TryParse(string[] args, out int port, out string? problem)
    {
        problem = null;
        var text = Environment.GetEnvironmentVariable("PORT");
        for (var i = 0; i < args.Length; i++)
        {
            if (args[i] == "--port" && i + 1 < args.Length)
            {
                text = args[++i];
            }
            else if (args[i].StartsWith("--port=", StringComparison.Ordinal))
            {
                text = args[i]["--port=".Length..];
            }
        }

        if (text is null)
        {
            port = McpLambdaFunction.DefaultLocalPort;
            return true;
        }

        if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out port) && port <= 65535)
        {
            return true;
        }

        problem = $"Invalid port '{text}': give a number from 0 (any free port) to 65535.";
        return false;
    }

    /// <summary>The emulated function timeout: <c>MCPLAMBDA_LOCAL_TIMEOUT_SECONDS</c>, default 60 s.</summary>
    public static TimeSpan InvocationTimeout()
        => TimeSpan.FromSeconds(int.TryParse(Environment.GetEnvironmentVariable("MCPLAMBDA_LOCAL_TIMEOUT_SECONDS"), out var s) && s > 0 ? s : 60);
}
