namespace McpLambda.Runtime.Observability;

/// <summary>The metric and dimension names of the embedded metric format documents, as the README lists them.</summary>
internal static class MetricNames
{
    public const string FunctionName = "FunctionName";
    public const string Method = "Method";
    public const string Tool = "Tool";
    public const string ErrorClass = "ErrorClass";

    /// <summary>A plain property (not a metric): the JSON-RPC code, for CloudWatch Logs Insights.</summary>
    public const string ErrorCode = "ErrorCode";

    public const string Duration = "Duration";
    public const string Successes = "Successes";
    public const string Errors = "Errors";
    public const string ServerRestarts = "ServerRestarts";
}
