namespace McpLambda.Runtime.Http;

/// <summary>
/// An HTTP request with its whole body: as an API Gateway or function URL event describes it (body already decoded),
/// or as the loopback server of local mode and of the Runtime API emulation reads it.
/// </summary>
/// <param name="Method">The HTTP method, upper case.</param>
/// <param name="Path">The request path.</param>
/// <param name="Headers">The request headers.</param>
/// <param name="Body">The body bytes (base64 already undone).</param>
internal sealed record BufferedHttpRequest(string Method, string Path, HttpHeaderCollection Headers, ReadOnlyMemory<byte> Body)
{
    /// <summary>What precedes <see cref="Path"/> in the URL the client used (an API Gateway stage such as <c>/prod</c>); empty when nothing does.</summary>
    public string PathBase { get; init; } = "";

    /// <summary>The host name the front door received the request on (an event's <c>requestContext.domainName</c>), if it names one.</summary>
    internal string? DomainName { get; init; }

    /// <summary>The query string as the client sent it (percent-encoded, without the <c>?</c>); empty when there is none.</summary>
    public string Query { get; init; } = "";
}
