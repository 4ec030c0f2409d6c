using McpLambda.Runtime.Configuration;
using McpLambda.Runtime.EventAdapters;
using McpLambda.Runtime.Hosting;
using McpLambda.Runtime.Observability;
using McpLambda.Runtime.RuntimeApi;

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
    private static FunctionHost? s_host;

    /// <summary>Answers one invocation whose event is <paramref name="input"/>.</summary>
    /// <param name="input">The event.</param>
    /// <param name="server">The wrapped server (the same for every call in a process).</param>
    /// <param name="adapter">The event translation (the same for every call in a process).</param>
    /// <returns>The response payload.</returns>
    public static async Task<Stream> HandleAsync(Stream input, StdioServerOptions server, LambdaEventAdapter adapter)
    {
        var host = s_host ?? await StartAsync(server, adapter).ConfigureAwait(false);
        using var buffer = new MemoryStream();
        await input.CopyToAsync(buffer).ConfigureAwait(false);

        // The request timeout stands in for the deadline this runtime does not pass on.
        var deadline = DateTimeOffset.UtcNow + host.Settings.ManagedRuntimeRequestTimeout;
        var invocation = new LambdaInvocation(Guid.NewGuid().ToString(), deadline, null, null, null, null, buffer.ToArray());
        return new MemoryStream(await host.Invocations.AnswerAsync(invocation, CancellationToken.None).ConfigureAwait(false), writable: false);
    }

    private static async Task<FunctionHost> StartAsync(StdioServerOptions server, LambdaEventAdapter adapter)
    {
        await Gate.WaitAsync().ConfigureAwait(false);
        try
        {
            if (s_host is null)
            {
                var settings = McpLambdaSettings.FromEnvironment();
                Log.Configure(settings.LogFormat, settings.LogLevel);
                s_host = new FunctionHost(server, adapter, settings);
            }

            return s_host;
        }
        finally
        {
            Gate.Release();
        }
    }
}
