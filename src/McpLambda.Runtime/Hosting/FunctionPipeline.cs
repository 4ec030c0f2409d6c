using McpLambda.Runtime.Bridge;
using McpLambda.Runtime.Http;

namespace McpLambda.Runtime.Hosting;

/// <summary>What a transport hands translated traffic to: the bridge, and the HTTP rules in front of it.</summary>
public sealed class FunctionPipeline
{
    /// <summary>Creates the pipeline over <paramref name="messages"/>.</summary>
    public FunctionPipeline(IMcpMessageHandler messages, StreamableHttpOptions? httpOptions = null)
    {
        Messages = messages;
        Http = new StreamableHttpHandler(messages, httpOptions);
    }

    /// <summary>Answers bare JSON-RPC messages.</summary>
    public IMcpMessageHandler Messages { get; }

    /// <summary>Answers Streamable HTTP requests.</summary>
    public StreamableHttpHandler Http { get; }
}
