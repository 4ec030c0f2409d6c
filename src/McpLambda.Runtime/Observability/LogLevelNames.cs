namespace McpLambda.Runtime.Observability;

/// <summary>The upper-case level names Lambda uses, both for <c>AWS_LAMBDA_LOG_LEVEL</c> and in the <c>level</c> field.</summary>
internal static class LogLevelNames
{
    public static string Name(LambdaLogLevel level) => level switch
    {
        LambdaLogLevel.Trace => "TRACE",
        LambdaLogLevel.Debug => "DEBUG",
        LambdaLogLevel.Info => "INFO",
        LambdaLogLevel.Warn => "WARN",
        LambdaLogLevel.Error => "ERROR",
        _ => "FATAL",
    };

    /// <summary>The level <paramref name="value"/> names (any case), or null when it names none.</summary>
    public static LambdaLogLevel? Parse(string? value) => value?.Trim().ToUpperInvariant() switch
    {
        "TRACE" => LambdaLogLevel.Trace,
        "DEBUG" => LambdaLogLevel.Debug,
        "INFO" => LambdaLogLevel.Info,
        "WARN" => LambdaLogLevel.Warn,
        "ERROR" => LambdaLogLevel.Error,
        "FATAL" => LambdaLogLevel.Fatal,
        _ => null,
    };
}
