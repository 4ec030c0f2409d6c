namespace McpLambda.Runtime.Http;

/// <summary>
/// An HTTP response with its whole body: what the Streamable HTTP rules answer (and an event adapter writes into its
/// response event), and what the loopback server of local mode and of the Runtime API emulation sends.
/// </summary>
/// <param name="StatusCode">The HTTP status.</param>
/// <param name="Headers">The response headers.</param>
/// <param name="Body">The body, empty for none.</param>
internal sealed record BufferedHttpResponse(int StatusCode, HttpHeaderCollection Headers, ReadOnlyMemory<byte> Body)
{
    /// <summary>The body's media type, or null when there is no body.</summary>
    public string? ContentType => Headers["Content-Type"];
}
