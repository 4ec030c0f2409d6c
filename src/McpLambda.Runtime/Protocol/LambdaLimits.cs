namespace McpLambda.Runtime.Protocol;

/// <summary>Limits of the Lambda service that the runtime's defaults follow.</summary>
internal static class LambdaLimits
{
    /// <summary>The largest synchronous request or response payload, 6 MiB.</summary>
    public const int PayloadBytes = 6 * 1024 * 1024;
}
