using McpLambda.Runtime.Bridge;
using McpLambda.Runtime.Hosting;
using McpLambda.Runtime.Http;
using McpLambda.Runtime.Transports;

namespace McpLambda.Runtime;

/// <summary>
/// Runs the function under the managed .NET Lambda runtime, which calls a <c>Stream → Stream</c> handler
/// (handler string <c>bootstrap::Namespace.Class::FunctionHandlerAsync</c>). What it cannot do, because that
/// runtime hands a plain stream and nothing else: it sees no deadline (requests are bounded by
/// <c>MCPLAMBDA_REQUEST_TIMEOUT_SECONDS</c>, default 60, instead of the invocation's remaining time), no client
/// context (so <see cref="McpTransport.BedrockAgentCoreGateway"/> cannot work), and the server starts at the
/// first invocation rather than during init. The custom runtime (<c>provided.al2023</c>) has none of these limits.
/// </summary>
public static class ManagedRuntimeHandler
{
    private static readonly SemaphoreSlim Gate = new(1, 1);
    private static FunctionPipeline? s_pipeline;

    /// <summary>Answers one invocation whose event is <paramref name="input"/>.</summary>
    /// <param name="input">The event.</param>
    /// <param name="server">The wrapped server (the same for every call in a process).</param>
    /// <param name="transport">The event translation.</param>
    /// <returns>The response payload.</returns>
    public static async Task<Stream> HandleAsync(Stream input, StdioServerOptions server, LambdaEventTransport transport)
    {
        var pipeline = s_pipeline ?? await CreatePipelineAsync(server).ConfigureAwait(false);
        using var buffer = new MemoryStream();
        await input.CopyToAsync(buffer).ConfigureAwait(false);
        var timeout = TimeSpan.FromSeconds(
            int.TryParse(Environment.GetEnvironmentVariable("MCPLAMBDA_REQUEST_TIMEOUT_SECONDS"), out var seconds) && seconds > 0 ? seconds : 60);
        var invocation = new LambdaInvocation(Guid.NewGuid().ToString(), DateTimeOffset.UtcNow + timeout, null, null, null, null, buffer.ToArray());
        using var deadline = new CancellationTokenSource(timeout);
        return new MemoryStream(await transport.HandleAsync(invocation, pipeline, deadline.Token).ConfigureAwait(false), writable: false);
    }

    private static async Task<FunctionPipeline> CreatePipelineAsync(StdioServerOptions server)
    {
        await Gate.WaitAsync().ConfigureAwait(false);
        try
        {
            return s_pipeline ??= new FunctionPipeline(new StdioServerBridge(ServerOverrides.Apply(server)), StreamableHttpOptions.FromEnvironment());
        }
        finally
        {
            Gate.Release();
        }
    }
}
