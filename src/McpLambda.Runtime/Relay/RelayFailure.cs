using McpLambda.Runtime.Observability;

namespace McpLambda.Runtime.Relay;

/// <summary>
/// A failure of the relay's store as callers and the server see it: an id to quote and no more. The store's own error
/// text names the account, the role and the table, so it goes only to the function's log, under that id.
/// </summary>
internal static class RelayFailure
{
    /// <summary>Logs that <paramref name="what"/> failed with <paramref name="cause"/>.</summary>
    /// <returns>The words that refer callers to the log line: <c>relay error &lt;id&gt;; …</c>.</returns>
    public static string Report(string what, Exception cause) => Report(what, $"{cause.GetType().Name}: {cause.Message}");

    /// <summary>Logs that <paramref name="what"/> failed, because <paramref name="cause"/>.</summary>
    /// <returns>The words that refer callers to the log line: <c>relay error &lt;id&gt;; …</c>.</returns>
    public static string Report(string what, string cause) => ErrorReport.Log("relay", what, cause);
}
