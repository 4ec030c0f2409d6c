using System.Text.Json;

namespace McpLambda.Runtime.Events;

/// <summary>An API Gateway REST API Lambda proxy integration event (payload format 1.0).</summary>
internal sealed class ApiGatewayProxyRequest
{
    /// <summary>The resource path template, e.g. <c>/mcp</c> or <c>/{proxy+}</c>.</summary>
    public string? Resource { get; set; }

    /// <summary>The request path.</summary>
    public string? Path { get; set; }

    /// <summary>The HTTP method.</summary>
    public string? HttpMethod { get; set; }

    /// <summary>Headers, last value of each name.</summary>
    public Dictionary<string, string>? Headers { get; set; }

    /// <summary>Headers with every value of each name.</summary>
    public Dictionary<string, List<string>>? MultiValueHeaders { get; set; }

    /// <summary>Query string parameters, last value of each name.</summary>
    public Dictionary<string, string>? QueryStringParameters { get; set; }

    /// <summary>Query string parameters with every value.</summary>
    public Dictionary<string, List<string>>? MultiValueQueryStringParameters { get; set; }

    /// <summary>Path parameters.</summary>
    public Dictionary<string, string>? PathParameters { get; set; }

    /// <summary>Stage variables.</summary>
    public Dictionary<string, string>? StageVariables { get; set; }

    /// <summary>The request context (identity, authorizer, request id), kept as JSON.</summary>
    public JsonElement? RequestContext { get; set; }

    /// <summary>The body, base64 when <see cref="IsBase64Encoded"/>.</summary>
    public string? Body { get; set; }

    /// <summary>Whether <see cref="Body"/> is base64.</summary>
    public bool IsBase64Encoded { get; set; }
}
