using McpLambda.Runtime.Configuration;
using McpLambda.Runtime.JsonRpc;
using McpLambda.Runtime.StreamableHttp;


namespace McpLambda.Runtime.Hosting;

/// <summary>
/// What an event adapter hands translated traffic to: the message dispatcher (bare JSON-RPC), and the Streamable
/// HTTP rules in front of it (HTTP-shaped events).
/// </summary>
public sealed class McpHandlers
{
    /// <summary>Creates the handlers over <paramref name="messages"/>.</summary>
    public McpHandlers(IMcpMessageHandler messages, StreamableHttpOptions? httpOptions = null)
        : this(messages, McpLambdaSettings.Default with { Http = httpOptions ?? McpLambdaSettings.Default.Http })
    {
    }

    /// <summary>Creates the handlers over <paramref name="messages"/> as <paramref name="settings"/> configure it.</summary>
    internal McpHandlers(IMcpMessageHandler messages, McpLambdaSettings settings)
    {
        Dispatcher = new McpMessageDispatcher(messages, settings.MaxResponseBytes, settings.MaxBatchLength, settings.MaxStreamedResponseBytes);
        Http = new StreamableHttpHandler(Dispatcher, settings.Http);
    }

    /// <summary>Answers bare JSON-RPC messages (Lambda Invoke, AgentCore Gateway).</summary>
    public McpMessageDispatcher Dispatcher { get; }

    /// <summary>Answers Streamable HTTP requests.</summary>
    public StreamableHttpHandler Http { get; }
}
