using ModelContextProtocol;

namespace McpLambda.Client;

/// <summary>
/// The function ran and failed: Lambda answered the Invoke call with <c>X-Amz-Function-Error</c> and the
/// function's error document (<c>errorType</c>, <c>errorMessage</c>). The Invoke call itself succeeded.
/// </summary>
public sealed class LambdaFunctionException : McpException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="functionName">The invoked function.</param>
    /// <param name="functionError">The <c>X-Amz-Function-Error</c> value, e.g. <c>Unhandled</c>.</param>
    /// <param name="errorType">The error document's <c>errorType</c>, e.g. <c>Runtime.ExitError</c>.</param>
    /// <param name="errorMessage">The error document's <c>errorMessage</c>.</param>
    /// <param name="requestId">The invocation's request id (<c>x-amzn-RequestId</c>), when known.</param>
    /// <param name="payload">The raw error payload.</param>
    /// <param name="logTail">The decoded <c>X-Amz-Log-Result</c>, when asked for.</param>
    public LambdaFunctionException(string functionName, string functionError, string? errorType, string? errorMessage, string? requestId, string payload, string? logTail = null)
        : base($"The Lambda function '{functionName}' failed ({functionError}): {errorType ?? "unknown error"}: {errorMessage ?? payload}")
    {
        FunctionName = functionName;
        FunctionError = functionError;
        ErrorType = errorType;
        ErrorMessage = errorMessage;
        RequestId = requestId;
        Payload = payload;
        LogTail = logTail;
    }

    /// <summary>The invoked function.</summary>
    public string FunctionName { get; }

    /// <summary>The <c>X-Amz-Function-Error</c> value, e.g. <c>Unhandled</c>.</summary>
    public string FunctionError { get; }

    /// <summary>The error document's <c>errorType</c>, or null when the payload had none.</summary>
    public string? ErrorType { get; }

    /// <summary>The error document's <c>errorMessage</c>, or null when the payload had none.</summary>
    public string? ErrorMessage { get; }

    /// <summary>The invocation's request id, when Lambda sent one.</summary>
    public string? RequestId { get; }

    /// <summary>The raw error payload.</summary>
    public string Payload { get; }

    /// <summary>The last 4 KB of the invocation's log, when <see cref="LambdaFunctionClientTransportOptions.IncludeLogTail"/> is set.</summary>
    public string? LogTail { get; }
}
