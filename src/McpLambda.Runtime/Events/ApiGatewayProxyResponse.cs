namespace McpLambda.Runtime.Events;

/// <summary>The response of a Lambda proxy integration (payload format 1.0).</summary>
internal sealed class ApiGatewayProxyResponse
{
    /// <summary>The HTTP status.</summary>
    public int StatusCode { get; set; }

    /// <summary>Single-value headers.</summary>
    public Dictionary<string, string>? Headers { get; set; }

    /// <summary>Headers with several values.</summary>
    public Dictionary<string, List<string>>? MultiValueHeaders { get; set; }

    /// <summary>The body, base64 when <see cref="IsBase64Encoded"/>.</summary>
    public EventBody? Body { get; set; }

    /// <summary>Whether <see cref="Body"/> is base64.</summary>
    public bool IsBase64Encoded { get; set; }
}
