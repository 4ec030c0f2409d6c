namespace McpLambda.Runtime.Bridge;

/// <summary>A request to the child was given up at its caller's deadline; it names the id the child knows it by, so it can be cancelled there.</summary>
internal sealed class ServerRequestCanceledException(long serverRequestId, CancellationToken cancellationToken)
    : OperationCanceledException("The request to the MCP server was cancelled at its deadline.", cancellationToken)
{
    /// <summary>The id this request carried on the child's stdin.</summary>
    public long ServerRequestId { get; } = serverRequestId;
}
