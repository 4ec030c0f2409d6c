namespace McpLambda.Runtime.Http;

/// <summary>An HTTP response to be written into the transport's response event.</summary>
/// <param name="StatusCode">The HTTP status.</param>
/// <param name="Headers">The response headers.</param>
/// <param name="Body">The body, empty for none.</param>
public sealed record McpHttpResponse(int StatusCode, HttpHeaderCollection Headers, ReadOnlyMemory<byte> Body)
{
    /// <summary>The body's media type, or null when there is no body.</summary>
    public string? ContentType => Headers["Content-Type"];
}
