namespace McpLambda.Runtime.RuntimeApi;

/// <summary>
/// An expected way for an invocation to fail: the runtime loop reports it to Lambda as a function error
/// whose <c>errorType</c> is <see cref="ErrorType"/> and logs its message without a stack trace.
/// </summary>
internal abstract class InvocationErrorException : Exception
{
    /// <summary>Creates the failure.</summary>
    /// <param name="errorType">The <c>errorType</c> Lambda reports, e.g. <c>AgentCore.MissingToolName</c>.</param>
    /// <param name="message">What went wrong, for the caller.</param>
    /// <param name="inner">The cause, if any.</param>
    protected InvocationErrorException(string errorType, string message, Exception? inner = null)
        : base(message, inner) => ErrorType = errorType;

    /// <summary>The kind of failure, as Lambda reports it in <c>errorType</c>.</summary>
    public string ErrorType { get; }
}
