namespace McpLambda.Runtime.Observability;

/// <summary>
/// A failure as callers see it: a reference to quote and no more. The details (a server's command line and stderr, an
/// AWS error naming the account, role and table) may hold secrets, so they go only to the function's log, under that
/// reference.
/// </summary>
internal static class ErrorReport
{
    /// <summary>Logs that <paramref name="what"/> failed, because <paramref name="details"/>, under a fresh reference.</summary>
    /// <param name="kind">What failed, for the reference's wording (<c>server</c>, <c>relay</c>).</param>
    /// <param name="what">What failed, in the log line.</param>
    /// <param name="details">Why, in the log line only.</param>
    /// <returns>The words that refer a caller to the log line: <c>&lt;kind&gt; error &lt;reference&gt;; …</c>.</returns>
    public static string Log(string kind, string what, string details)
    {
        // Only a reference to the log line, not a secret: 16 hex digits are enough to find it.
        var reference = Guid.NewGuid().ToString("N")[..16];
        Observability.Log.Error($"{what} ({kind} error {reference}): {details}");
        return $"{kind} error {reference}; the function's log has the details";
    }
}
