using McpLambda.Runtime.Invocations;
using ModelContextProtocol.Protocol;

namespace McpLambda.Runtime.JsonRpc;

/// <summary>Answers one JSON-RPC message from an MCP client.</summary>
internal interface IMcpMessageHandler
{
    /// <summary>
    /// Handles <paramref name="message"/>: a request gets its response (a result or an error, never an
    /// exception); a notification or an accepted response gets <see langword="null"/>; a response that answers nothing
    /// waiting gets an error without an id, which an HTTP way in sends with a 4xx status. The server's messages that
    /// belong to a request go to <paramref name="client"/> before the answer: progress carrying its
    /// <c>_meta.progressToken</c>, log messages (which name no request), and, when the sink is live, the server's requests
    /// to the client. A handler whose server sends nothing passes nothing.
    /// </summary>
    /// <param name="message">The client's message.</param>
    /// <param name="client">Gets the server's messages, in the order the server sent them; null when the caller takes none.</param>
    /// <param name="invocation">The invocation the message came in: its deadline, cancellation and verified caller.</param>
    ValueTask<JsonRpcMessage?> HandleAsync(JsonRpcMessage message, IClientMessageSink? client, InvocationContext invocation);
}
