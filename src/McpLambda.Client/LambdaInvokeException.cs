using System.Net;
using ModelContextProtocol;

namespace McpLambda.Client;

/// <summary>
/// The Lambda Invoke API call failed: a 4xx or 5xx answer from the Lambda service (after retries for
/// throttling and server errors), or an answer that is not a JSON-RPC message.
/// </summary>
public sealed class LambdaInvokeException : McpException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">What went wrong.</param>
    /// <param name="statusCode">The HTTP status of the last attempt.</param>
    /// <param name="errorCode">The AWS error code (<c>x-amzn-ErrorType</c>), e.g. <c>ResourceNotFoundException</c>, when known.</param>
    /// <param name="requestId">The request id (<c>x-amzn-RequestId</c>), when known.</param>
    /// <param name="attempts">How many Invoke calls were made.</param>
    /// <param name="innerException">The underlying error, if any.</param>
    public LambdaInvokeException(string message, HttpStatusCode? statusCode, string? errorCode, string? requestId, int attempts, Exception? innerException = null)
        : base(message, innerException)
    {
        StatusCode = statusCode;
        ErrorCode = errorCode;
        RequestId = requestId;
        Attempts = attempts;
    }

    /// <summary>The HTTP status of the last attempt, or null when no answer came.</summary>
    public HttpStatusCode? StatusCode { get; }

    /// <summary>The AWS error code, e.g. <c>TooManyRequestsException</c>, when known.</summary>
    public string? ErrorCode { get; }

    /// <summary>The request id of the last attempt, when known.</summary>
    public string? RequestId { get; }

    /// <summary>How many Invoke calls were made, retries included.</summary>
    public int Attempts { get; }
}
