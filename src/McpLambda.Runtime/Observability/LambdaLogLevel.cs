namespace McpLambda.Runtime.Observability;

/// <summary>The levels of Lambda's advanced logging controls (<c>AWS_LAMBDA_LOG_LEVEL</c>), least severe first.</summary>
internal enum LambdaLogLevel
{
    Trace,
    Debug,
    Info,
    Warn,
    Error,
    Fatal,
}
