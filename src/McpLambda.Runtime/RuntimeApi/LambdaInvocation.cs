namespace McpLambda.Runtime.RuntimeApi;

/// <summary>One invocation as the Lambda Runtime API hands it over.</summary>
/// <param name="RequestId">The <c>Lambda-Runtime-Aws-Request-Id</c>.</param>
/// <param name="Deadline">When Lambda stops the invocation (<c>Lambda-Runtime-Deadline-Ms</c>).</param>
/// <param name="InvokedFunctionArn">The ARN used to invoke the function.</param>
/// <param name="TraceId">The X-Ray trace header, if any.</param>
/// <param name="ClientContext">The client context JSON, if the caller sent one.</param>
/// <param name="CognitoIdentity">The Cognito identity JSON, if any.</param>
/// <param name="Event">The event payload.</param>
internal sealed record LambdaInvocation(
    string RequestId,
    DateTimeOffset Deadline,
    string? InvokedFunctionArn,
    string? TraceId,
    string? ClientContext,
    string? CognitoIdentity,
    ReadOnlyMemory<byte> Event);
