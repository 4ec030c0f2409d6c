using ModelContextProtocol.Protocol;

namespace McpLambda.Runtime.JsonRpc;

/// <summary>What a dispatched body gets back: the answers to its requests (and to its invalid entries), in order.</summary>
/// <param name="IsBatch">Whether the answers go back as a JSON array.</param>
/// <param name="Messages">The answers; empty when the body held only notifications and responses.</param>
internal readonly record struct JsonRpcAnswers(bool IsBatch, IReadOnlyList<JsonRpcMessage> Messages)
{
    /// <summary>Whether there is nothing to send back (HTTP answers 202, Invoke <c>{}</c>).</summary>
    public bool IsEmpty => Messages.Count == 0;
}
