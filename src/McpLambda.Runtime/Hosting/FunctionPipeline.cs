using McpLambda.Runtime.Bridge;
using McpLambda.Runtime.Configuration;
using McpLambda.Runtime.Http;
using McpLambda.Runtime.JsonRpc;

namespace McpLambda.Runtime.Hosting;

/// <summary>What a transport hands translated traffic to: the message dispatcher, and the HTTP rules in front of it.</summary>
public sealed class FunctionPipeline
{
    /// <summary>Creates the pipeline over <paramref name="messages"/>.</summary>
    public FunctionPipeline(IMcpMessageHandler messages, StreamableHttpOptions? httpOptions = null)
        : this(messages, McpLambdaSettings.Default with { Http = httpOptions ?? McpLambdaSettings.Default.Http })
    {
    }

    /// <summary>Creates the pipeline over <paramref name="messages"/> as <paramref name="settings"/> configure it.</summary>
    internal FunctionPipeline(IMcpMessageHandler messages, McpLambdaSettings settings)
    {
        Dispatcher = new McpMessageDispatcher(messages, settings.MaxResponseBytes);
        Http = new StreamableHttpHandler(Dispatcher, settings.Http);
    }

    /// <summary>Answers bare JSON-RPC messages (Lambda Invoke, AgentCore Gateway).</summary>
    public McpMessageDispatcher Dispatcher { get; }

    /// <summary>Answers Streamable HTTP requests.</summary>
    public StreamableHttpHandler Http { get; }
}
