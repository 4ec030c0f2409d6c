using ModelContextProtocol.Protocol;

namespace McpLambda.Runtime.JsonRpc;

/// <summary>
/// Where the server's messages for one client request go while it runs: its notifications (progress, log messages)
/// and, when <see cref="IsLive"/>, its requests to the client (sampling, elicitation, roots), which the client answers
/// with a new POST.
/// </summary>
internal interface IClientMessageSink
{
    /// <summary>
    /// Whether a message reaches the client before its request's answer does (a streamed SSE answer). Only then can the
    /// client answer a server's request; otherwise the server is told at once that the client cannot be asked.
    /// </summary>
    bool IsLive { get; }

    /// <summary>
    /// Cancelled when the client has gone (its live answer could not be written): the server's requests to it are then
    /// failed at once rather than left waiting until the deadline. A sink that cannot tell is never cancelled.
    /// </summary>
    CancellationToken ClientGone => CancellationToken.None;

    /// <summary>Passes on a server's notification or request, in the order the server sent them.</summary>
    /// <param name="message">A <see cref="JsonRpcNotification"/>, or a <see cref="JsonRpcRequest"/> when <see cref="IsLive"/>.</param>
    void Send(JsonRpcMessage message);
}
