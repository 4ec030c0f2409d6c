using System.Globalization;

namespace McpLambda.Runtime.Local;

/// <summary>Local mode's port: <c>--port N</c>, else <c>PORT</c> (read into the settings), else the default.</summary>
internal static class LocalOptions
{
    public static bool TryParse(string[] args, string? environmentPort, out int port, out string? problem)
    {
        problem = null;
        var text = environmentPort;
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
}
