namespace McpLambda.Runtime.Observability;

/// <summary>The log formats of Lambda's advanced logging controls (<c>AWS_LAMBDA_LOG_FORMAT</c>).</summary>
internal enum LambdaLogFormat
{
    /// <summary>Readable lines: <c>[mcp-lambda] LEVEL [request id] message</c>.</summary>
    Text,

    /// <summary>One JSON object per line, as Lambda writes for managed runtimes in JSON mode.</summary>
    Json,
}
