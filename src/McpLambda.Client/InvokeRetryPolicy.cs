using ModelContextProtocol.Protocol;

namespace McpLambda.Client;

/// <summary>
/// Which failed Invoke calls may be sent again. Throttling (429 <c>TooManyRequestsException</c>) happens before the
/// function runs, so every message is retried. A 5xx may come after the function ran, so only messages whose
/// repetition changes nothing are retried: notifications and the requests that only read (<c>ping</c>,
/// <c>initialize</c>, the lists, <c>resources/read</c>, <c>prompts/get</c>, <c>completion/complete</c>) or set a
/// value (<c>logging/setLevel</c>). A <c>tools/call</c> (or any other request) is not: it may have run.
/// </summary>
internal static class InvokeRetryPolicy
{
    private static readonly HashSet<string> IdempotentMethods = new(StringComparer.Ordinal)
    {
        RequestMethods.Ping,
        RequestMethods.Initialize,
        RequestMethods.ToolsList,
        RequestMethods.ResourcesList,
        RequestMethods.ResourcesTemplatesList,
        RequestMethods.ResourcesRead,
        RequestMethods.PromptsList,
        RequestMethods.PromptsGet,
        RequestMethods.CompletionComplete,
        "logging/setLevel",
    };

    /// <summary>Whether Lambda refused the call before running the function.</summary>
    public static bool IsThrottled(int status, string? errorCode) => status == 429 || errorCode == "TooManyRequestsException";

    /// <summary>Whether a call of <paramref name="message"/> that failed with <paramref name="status"/> may be sent again.</summary>
    public static bool MayRetry(JsonRpcMessage message, int status, string? errorCode)
        => IsThrottled(status, errorCode) || (status >= 500 && IsIdempotent(message));

    /// <summary>Whether sending <paramref name="message"/> twice has the effect of sending it once.</summary>
    public static bool IsIdempotent(JsonRpcMessage message) => message switch
    {
        JsonRpcRequest request => IdempotentMethods.Contains(request.Method),
        JsonRpcNotification => true,
        _ => false,
    };
}
