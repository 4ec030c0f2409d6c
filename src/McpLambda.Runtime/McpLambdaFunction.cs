using McpLambda.Runtime.Transports;

namespace McpLambda.Runtime;

/// <summary>The entry point that generated code calls: runs the function under Lambda or locally.</summary>
public static class McpLambdaFunction
{
    /// <summary>
    /// Runs the function: under the Lambda Runtime API when <c>AWS_LAMBDA_RUNTIME_API</c> is set,
    /// otherwise as a local HTTP endpoint on loopback.
    /// </summary>
    /// <param name="args">The process arguments (<c>--port</c> is read in local mode).</param>
    /// <param name="server">The wrapped stdio server.</param>
    /// <param name="transport">The event translation for the function's way in.</param>
    /// <param name="cancellationToken">Stops the loop.</param>
    /// <returns>The process exit code.</returns>
    public static Task<int> RunAsync(string[] args, StdioServerOptions server, LambdaEventTransport transport, CancellationToken cancellationToken = default)
        => throw new NotImplementedException();
}
