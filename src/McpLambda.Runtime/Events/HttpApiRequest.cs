namespace McpLambda.Runtime.Events;

/// <summary>A payload format 2.0 event: API Gateway HTTP API or a Lambda function URL.</summary>
internal sealed class HttpApiRequest
{
    /// <summary>Always <c>2.0</c>.</summary>
    public string? Version { get; set; }

    /// <summary>The route key, e.g. <c>$default</c>.</summary>
    public string? RouteKey { get; set; }

    /// <summary>The path, not decoded.</summary>
    public string? RawPath { get; set; }

    /// <summary>The query string, without <c>?</c>.</summary>
    public string? RawQueryString { get; set; }

    /// <summary>Cookies, one entry each.</summary>
    public List<string>? Cookies { get; set; }

    /// <summary>Headers, names in lower case, repeated headers joined by commas.</summary>
    public Dictionary<string, string>? Headers { get; set; }

    /// <summary>Query string parameters.</summary>
    public Dictionary<string, string>? QueryStringParameters { get; set; }

    /// <summary>The request context.</summary>
    public HttpApiRequestContext? RequestContext { get; set; }

    /// <summary>The body, base64 when <see cref="IsBase64Encoded"/>.</summary>
    public string? Body { get; set; }

    /// <summary>Path parameters.</summary>
    public Dictionary<string, string>? PathParameters { get; set; }

    /// <summary>Whether <see cref="Body"/> is base64.</summary>
    public bool IsBase64Encoded { get; set; }

    /// <summary>Stage variables.</summary>
    public Dictionary<string, string>? StageVariables { get; set; }
}

/// <summary>The <c>requestContext</c> of a payload format 2.0 event.</summary>
internal sealed class HttpApiRequestContext
{
    /// <summary>The AWS account that owns the API or function.</summary>
    public string? AccountId { get; set; }

    /// <summary>The API id, or the function URL id.</summary>
    public string? ApiId { get; set; }

    /// <summary>The host name the request came to.</summary>
    public string? DomainName { get; set; }

    /// <summary>The API stage (<c>$default</c> for an HTTP API's default stage; absent for function URLs).</summary>
    public string? Stage { get; set; }

    /// <summary>The request id.</summary>
    public string? RequestId { get; set; }

    /// <summary>The HTTP facts of the request.</summary>
    public HttpApiRequestHttp? Http { get; set; }

    /// <summary>The authorizer's result: IAM caller for an <c>AWS_IAM</c> function URL, JWT claims for an HTTP API.</summary>
    public HttpApiAuthorizer? Authorizer { get; set; }

    /// <summary>Epoch milliseconds of the request.</summary>
    public long TimeEpoch { get; set; }
}

/// <summary>The <c>requestContext.http</c> object.</summary>
internal sealed class HttpApiRequestHttp
{
    /// <summary>The HTTP method.</summary>
    public string? Method { get; set; }

    /// <summary>The path.</summary>
    public string? Path { get; set; }

    /// <summary>The protocol, e.g. <c>HTTP/1.1</c>.</summary>
    public string? Protocol { get; set; }

    /// <summary>The caller's address.</summary>
    public string? SourceIp { get; set; }

    /// <summary>The caller's user agent.</summary>
    public string? UserAgent { get; set; }
}

/// <summary>The <c>requestContext.authorizer</c> object.</summary>
internal sealed class HttpApiAuthorizer
{
    /// <summary>The signed caller of an <c>AWS_IAM</c> function URL or route.</summary>
    public IamCaller? Iam { get; set; }
}

/// <summary>The IAM identity that signed the request, as Lambda verified it.</summary>
internal sealed class IamCaller
{
    /// <summary>The access key id used.</summary>
    public string? AccessKey { get; set; }

    /// <summary>The caller's account.</summary>
    public string? AccountId { get; set; }

    /// <summary>The caller id.</summary>
    public string? CallerId { get; set; }

    /// <summary>The caller's ARN.</summary>
    public string? UserArn { get; set; }

    /// <summary>The caller's user id.</summary>
    public string? UserId { get; set; }
}
