using System.Text.Json.Serialization.Metadata;
using McpLambda.Runtime.Events;
using McpLambda.Runtime.Http;
using McpLambda.Runtime.RuntimeApi;

namespace McpLambda.Runtime.EventAdapters;

/// <summary>Payload format 2.0 events, shared by API Gateway HTTP APIs and Lambda function URLs.</summary>
internal abstract class PayloadV2EventAdapter : HttpEventAdapter<HttpApiRequest, HttpApiResponse>
{
    private protected PayloadV2EventAdapter()
    {
    }

    private protected override JsonTypeInfo<HttpApiRequest> RequestInfo => HttpApiJsonContext.Events.HttpApiRequest;

    private protected override JsonTypeInfo<HttpApiResponse> ResponseInfo => HttpApiJsonContext.Events.HttpApiResponse;

    /// <inheritdoc/>
    internal override bool Accepts(LambdaInvocation invocation, EventShape shape) => shape.IsPayloadV2;

    private protected override BufferedHttpRequest ToHttpRequest(HttpApiRequest model, LambdaInvocation invocation)
    {
        var method = model.RequestContext?.Http?.Method;
        if (string.IsNullOrEmpty(method))
        {
            throw new EventFormatException("requestContext.http.method is missing");
        }

        // Payload 2.0 already joins repeated headers with commas, and moves cookies out of the headers.
        var headers = new HttpHeaderCollection();
        foreach (var (name, value) in model.Headers ?? [])
        {
            if (value is not null)
            {
                headers.Add(name, value);
            }
        }

        if (model.Cookies is { Count: > 0 } cookies)
        {
            headers.Set("cookie", string.Join("; ", cookies));
        }

        OnRequest(model);

        // A named HTTP API stage leads the raw path (/prod/mcp); the default stage and function URLs have none.
        var path = model.RawPath ?? "/";
        var pathBase = model.RequestContext?.Stage is { Length: > 0 } stage && stage != "$default" && path.StartsWith("/" + stage + "/", StringComparison.Ordinal)
            ? "/" + stage
            : "";
        return new BufferedHttpRequest(method.ToUpperInvariant(), path[pathBase.Length..], headers, DecodeBody(model.Body, model.IsBase64Encoded))
        {
            PathBase = pathBase,
            Query = model.RawQueryString ?? "",
        };
    }

    private protected override string? DomainName(HttpApiRequest model) => model.RequestContext?.DomainName;

    /// <summary>A hook for what a particular front door adds to the request, such as its verified caller.</summary>
    private protected virtual void OnRequest(HttpApiRequest model)
    {
    }

    private protected override HttpApiResponse ToEventResponse(BufferedHttpResponse response)
    {
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (name, values) in response.Headers)
        {
            headers[name] = string.Join(", ", values);
        }

        return new HttpApiResponse { StatusCode = response.StatusCode, Headers = headers, Body = EncodeBody(response.Body), IsBase64Encoded = false };
    }

    private protected override HttpApiRequest ToEvent(BufferedHttpRequest request)
    {
        var headers = new Dictionary<string, string>();
        List<string>? cookies = null;
        foreach (var (name, values) in request.Headers)
        {
            if (name.Equals("cookie", StringComparison.OrdinalIgnoreCase))
            {
                cookies = [.. values.SelectMany(v => v.Split(';', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))];
                continue;
            }

            headers[name.ToLowerInvariant()] = string.Join(",", values);
        }

        return new HttpApiRequest
        {
            Version = "2.0",
            RouteKey = "$default",
            RawPath = request.Path,
            RawQueryString = request.Query,
            Cookies = cookies,
            Headers = headers,
            RequestContext = new HttpApiRequestContext
            {
                AccountId = "123456789012",
                ApiId = "local",
                DomainName = "127.0.0.1",
                RequestId = Guid.NewGuid().ToString(),
                TimeEpoch = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(),
                Http = new HttpApiRequestHttp { Method = request.Method, Path = request.Path, Protocol = "HTTP/1.1", SourceIp = "127.0.0.1", UserAgent = request.Headers["User-Agent"] },
            },
            Body = request.Body.IsEmpty ? null : Convert.ToBase64String(request.Body.Span),
            IsBase64Encoded = !request.Body.IsEmpty,
        };
    }

    private protected override BufferedHttpResponse FromEventResponse(HttpApiResponse response)
    {
        var headers = new HttpHeaderCollection();
        foreach (var (name, value) in response.Headers ?? [])
        {
            headers.Add(name, value);
        }

        foreach (var cookie in response.Cookies ?? [])
        {
            headers.Add("Set-Cookie", cookie);
        }

        return new BufferedHttpResponse(response.StatusCode, headers, DecodeBody(response.Body, response.IsBase64Encoded));
    }
}
