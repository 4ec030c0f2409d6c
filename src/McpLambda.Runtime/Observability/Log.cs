using McpLambda.Runtime.Invocations;

namespace McpLambda.Runtime.Observability;

/// <summary>
/// Writes the function's log lines to stderr, which Lambda sends to CloudWatch Logs, in the format and at the level
/// Lambda's advanced logging controls ask for (see <see cref="LogWriter"/>). Kept tiny: no logging framework is needed
/// for one line per event.
/// </summary>
internal static class Log
{
    private static volatile LogWriter s_writer = LogWriter.Default;

    /// <summary>Applies Lambda's logging controls (the function's settings read them); called once at start-up.</summary>
    public static void Configure(LambdaLogFormat format, LambdaLogLevel level)
        => s_writer = new LogWriter(format, level, static () => Console.Error);

    public static void Info(string message) => s_writer.Write(LambdaLogLevel.Info, message);

    public static void Warn(string message) => s_writer.Write(LambdaLogLevel.Warn, message);

    public static void Error(string message) => s_writer.Write(LambdaLogLevel.Error, message);

    /// <summary>Writes a line with extra fields, on behalf of <paramref name="invocation"/> when it is given.</summary>
    public static void Write(LambdaLogLevel level, string message, InvocationContext? invocation, IReadOnlyList<LogField>? fields)
        => s_writer.Write(level, message, invocation, fields);
}
