namespace McpLambda.Runtime.Local;

/// <summary>What a function returned for one emulated invocation.</summary>
/// <param name="RequestId">The invocation's request id.</param>
/// <param name="Payload">The response payload, or the error document when <paramref name="FunctionError"/> is set.</param>
/// <param name="FunctionError">The error type when the function reported an error (as <c>X-Amz-Function-Error</c> would say), else null.</param>
internal sealed record LambdaInvocationResult(string RequestId, byte[] Payload, string? FunctionError)
{
    /// <summary>The response when the function streamed it (then <see cref="Payload"/> is empty); null for a buffered one.</summary>
    public StreamedInvocationResponse? Streamed { get; init; }
}

/// <summary>Per-invocation settings of the emulated Lambda service.</summary>
/// <param name="Timeout">The function timeout; the deadline the function sees is now plus this.</param>
/// <param name="ClientContext">The client context JSON, as a caller of Invoke may send it.</param>
/// <param name="FunctionArn">The invoked function ARN.</param>
/// <param name="TraceId">The X-Ray trace header.</param>
internal sealed record LambdaInvokeOptions(TimeSpan? Timeout = null, string? ClientContext = null, string? FunctionArn = null, string? TraceId = null);
