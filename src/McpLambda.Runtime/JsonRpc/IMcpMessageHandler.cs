using ModelContextProtocol.Protocol;

namespace McpLambda.Runtime.JsonRpc;

/// <summary>Answers one JSON-RPC message from an MCP client.</summary>
public interface IMcpMessageHandler
{
    /// <summary>
    /// Handles <paramref name="message"/>: a request gets its response (a result or an error, never an
    /// exception); a notification or a response gets <see langword="null"/>.
    /// </summary>
    /// <param name="message">The client's message.</param>
    /// <param name="cancellationToken">Cancelled at the invocation's deadline.</param>
    ValueTask<JsonRpcMessage?> HandleAsync(JsonRpcMessage message, CancellationToken cancellationToken);
}
