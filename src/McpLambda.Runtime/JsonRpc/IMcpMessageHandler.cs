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

    /// <summary>
    /// Handles <paramref name="message"/> as <see cref="HandleAsync(JsonRpcMessage, CancellationToken)"/> does, and passes
    /// the server's notifications that belong to it to <paramref name="onNotification"/> before the answer: progress
    /// carrying its <c>_meta.progressToken</c>, and log messages, which name no request. A handler that has no
    /// notifications passes none.
    /// </summary>
    /// <param name="message">The client's message.</param>
    /// <param name="onNotification">Gets each notification, in the order the server sent them.</param>
    /// <param name="cancellationToken">Cancelled at the invocation's deadline.</param>
    ValueTask<JsonRpcMessage?> HandleAsync(JsonRpcMessage message, Action<JsonRpcNotification> onNotification, CancellationToken cancellationToken)
        => HandleAsync(message, cancellationToken);
}
