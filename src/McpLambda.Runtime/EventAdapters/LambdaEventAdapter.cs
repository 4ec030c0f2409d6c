using McpLambda.Runtime.Http;
using McpLambda.Runtime.RuntimeApi;
using McpLambda.Runtime.Invocations;

namespace McpLambda.Runtime.EventAdapters;

/// <summary>
/// Translates one kind of Lambda event into MCP traffic and the answer back into the event's response. Generated code
/// takes one from <see cref="McpEventAdapters"/>; only this assembly (and its tests) make new kinds.
/// </summary>
public abstract class LambdaEventAdapter
{
    internal LambdaEventAdapter()
    {
    }

    /// <summary>A short name for logs, e.g. <c>API Gateway REST</c>.</summary>
    public abstract string DisplayName { get; }

    /// <summary>Answers one invocation. Bad input is answered in the event's own terms, never thrown.</summary>
    /// <param name="invocation">The invocation and its event.</param>
    /// <param name="handlers">Where translated traffic goes.</param>
    /// <param name="context">The invocation as every layer sees it: its deadline, cancellation and caller.</param>
    /// <returns>The response payload.</returns>
    internal abstract ValueTask<byte[]> HandleAsync(LambdaInvocation invocation, McpHandlers handlers, InvocationContext context);

    /// <summary>Whether the answer to <paramref name="invocation"/> can be streamed (function URLs, API Gateway REST).</summary>
    internal virtual bool CanStream(LambdaInvocation invocation) => false;

    /// <summary>
    /// The way in whose event <paramref name="invocation"/> carries: this adapter, or for a function with several ways
    /// in, the one that recognises the event, so that the event's shape is read once per invocation.
    /// </summary>
    internal virtual LambdaEventAdapter WayInOf(LambdaInvocation invocation) => this;

    /// <summary>Answers one invocation as a streamed HTTP integration response; only when <see cref="CanStream"/>.</summary>
    internal virtual Task StreamAsync(LambdaInvocation invocation, McpHandlers handlers, RuntimeApiResponseStream response, InvocationContext context)
        => throw new NotSupportedException($"{DisplayName} responses cannot be streamed.");

    /// <summary>
    /// Whether this adapter recognises <paramref name="invocation"/> as its own, for functions that
    /// take several kinds of event.
    /// </summary>
    internal abstract bool Accepts(LambdaInvocation invocation, EventShape shape);

    /// <summary>
    /// Whether this adapter recognises its events by the client context rather than by the event's
    /// shape; a function with several ways in asks these first.
    /// </summary>
    internal virtual bool MatchesOnClientContext => false;

    /// <summary>Local mode: how to reach the function at <paramref name="url"/>, printed at start.</summary>
    internal virtual string DescribeLocalEndpoint(Uri url)
        => $"serving MCP on {url}\nTry it:  npx @modelcontextprotocol/inspector --cli {url} --transport http --method tools/list";

    /// <summary>
    /// Local mode: whether a POST must say it is JSON before it becomes an event. True where the event is the bare body
    /// (no HTTP headers reach the Streamable HTTP rules), so a browser's form post cannot reach the server.
    /// </summary>
    internal virtual bool LocalRequestsNeedJsonContent => false;

    /// <summary>Local mode: the event the AWS front door would send for <paramref name="request"/>.</summary>
    internal abstract byte[] CreateLocalEvent(BufferedHttpRequest request, out string? clientContext);

    /// <summary>Local mode: the HTTP response the AWS front door would make of <paramref name="payload"/>.</summary>
    internal abstract BufferedHttpResponse ReadLocalResponse(ReadOnlySpan<byte> payload);
}
