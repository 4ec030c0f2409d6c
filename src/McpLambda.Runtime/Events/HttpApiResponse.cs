namespace McpLambda.Runtime.Events;

/// <summary>The response of a payload format 2.0 integration or function URL.</summary>
internal sealed class HttpApiResponse
{
    /// <summary>The HTTP status.</summary>
    public int StatusCode { get; set; }

    /// <summary>Headers; repeated values joined by commas.</summary>
    public Dictionary<string, string>? Headers { get; set; }

    /// <summary>Cookies to set.</summary>
    public List<string>? Cookies { get; set; }

    /// <summary>The body, base64 when <see cref="IsBase64Encoded"/>.</summary>
    public EventBody? Body { get; set; }

    /// <summary>Whether <see cref="Body"/> is base64.</summary>
    public bool IsBase64Encoded { get; set; }
}
