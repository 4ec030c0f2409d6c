using McpLambda.Runtime.Authorization;
using McpLambda.Runtime.Configuration;
using McpLambda.Runtime.Features;
using McpLambda.Runtime.JsonRpc;
using McpLambda.Runtime.Observability;
using McpLambda.Runtime.StreamableHttp;

namespace McpLambda.Runtime.EventAdapters;

/// <summary>
/// What an event adapter hands translated traffic to: the message dispatcher (bare JSON-RPC), and the Streamable
/// HTTP rules in front of it (HTTP-shaped events).
/// </summary>
internal sealed class McpHandlers
{
    /// <summary>Creates the handlers over <paramref name="messages"/>.</summary>
    public McpHandlers(IMcpMessageHandler messages, StreamableHttpOptions? httpOptions = null)
        : this(messages, McpLambdaSettings.Default with { Http = httpOptions ?? McpLambdaSettings.Default.Http })
    {
    }

    /// <summary>Creates the handlers over <paramref name="messages"/> as <paramref name="settings"/> configure it.</summary>
    /// <param name="messages">What answers each message.</param>
    /// <param name="settings">The function's settings.</param>
    /// <param name="observer">Told of each request's outcome (the metrics), if any.</param>
    internal McpHandlers(IMcpMessageHandler messages, McpLambdaSettings settings, IMcpRequestObserver? observer = null)
    {
        Dispatcher = new McpMessageDispatcher(messages, settings.MaxResponseBytes, settings.MaxBatchLength, settings.MaxStreamedResponseBytes, observer);
        if (settings.OAuth is { } oauth)
        {
            // Failing closed: an endpoint configured for tokens never serves without checking them.
            ResourceServer = BuildFeatures.OAuth
                ? ResourceServer.Create(oauth)
                : throw new InvalidOperationException("MCPLAMBDA_OAUTH_ISSUER is set, but the function was built without OAuth (McpLambdaOAuth=false).");
        }

        Http = new StreamableHttpHandler(Dispatcher, settings.Http, ResourceServer);
    }

    /// <summary>The OAuth resource server in front of the HTTP rules, when the settings name an issuer.</summary>
    internal ResourceServer? ResourceServer { get; }

    /// <summary>Answers bare JSON-RPC messages (Lambda Invoke, AgentCore Gateway).</summary>
    public McpMessageDispatcher Dispatcher { get; }

    /// <summary>Answers Streamable HTTP requests.</summary>
    public StreamableHttpHandler Http { get; }
}
