namespace McpLambda.Runtime.Hosting;

/// <summary>
/// Writes the function's log lines to stderr, which Lambda sends to CloudWatch Logs. Kept tiny and
/// allocation-light on purpose: no logging framework is needed for one line per event.
/// </summary>
internal static class Log
{
    private static readonly object Gate = new();

    public static void Info(string message) => Write("INFO", message);

    public static void Warn(string message) => Write("WARN", message);

    public static void Error(string message) => Write("ERROR", message);

    private static void Write(string level, string message)
    {
        lock (Gate)
        {
            Console.Error.WriteLine($"[mcp-lambda] {level} {message}");
        }
    }
}
