using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using McpLambda.Runtime.Events;
using McpLambda.Runtime.Http;
using McpLambda.Runtime.RuntimeApi;

namespace McpLambda.Runtime.EventAdapters;

/// <summary>API Gateway REST API proxy events (payload format 1.0).</summary>
internal sealed class ApiGatewayRestEventAdapter : HttpEventAdapter<ApiGatewayProxyRequest, ApiGatewayProxyResponse>
{
    private ApiGatewayRestEventAdapter()
    {
    }

    /// <summary>The shared instance.</summary>
    public static ApiGatewayRestEventAdapter Instance { get; } = new();

    /// <inheritdoc/>
    public override string DisplayName => "API Gateway REST";

    private protected override JsonTypeInfo<ApiGatewayProxyRequest> RequestInfo => ApiGatewayJsonContext.Events.ApiGatewayProxyRequest;

    private protected override JsonTypeInfo<ApiGatewayProxyResponse> ResponseInfo => ApiGatewayJsonContext.Events.ApiGatewayProxyResponse;

    private protected override Func<int, HttpHeaderCollection, byte[]> StreamPrelude => HttpIntegrationPrelude.Rest;

    /// <inheritdoc/>
    internal override bool Accepts(LambdaInvocation invocation, EventShape shape) => shape.HasHttpMethod;

    private protected override BufferedHttpRequest ToHttpRequest(ApiGatewayProxyRequest model, LambdaInvocation invocation)
    {
        if (string.IsNullOrEmpty(model.HttpMethod))
        {
            throw new EventFormatException("httpMethod is missing");
        }

        // multiValueHeaders holds every value; headers only the last of each. Prefer the former where present.
        var headers = new HttpHeaderCollection();
        if (model.MultiValueHeaders is { Count: > 0 } multi)
        {
            // A null list or value is not a header (the event format never sends one, but a broken front door might).
            foreach (var (name, values) in multi)
            {
                foreach (var value in values ?? [])
                {
                    if (value is not null)
                    {
                        headers.Add(name, value);
                    }
                }
            }
        }

        if (model.Headers is { } single)
        {
            foreach (var (name, value) in single)
            {
                if (value is not null && !headers.Contains(name))
                {
                    headers.Add(name, value);
                }
            }
        }

        var path = model.Path ?? "/";
        return new BufferedHttpRequest(model.HttpMethod.ToUpperInvariant(), path, headers, DecodeBody(model.Body, model.IsBase64Encoded))
        {
            PathBase = PathBase(model.RequestContext, path),
            Query = Query(model),
        };
    }

    /// <summary>
    /// The query string, written again from the parameters API Gateway decoded (a REST event carries no raw query):
    /// every value where <c>multiValueQueryStringParameters</c> has them, else the last of each.
    /// </summary>
    private static string Query(ApiGatewayProxyRequest model)
    {
        var fields = model.MultiValueQueryStringParameters is { Count: > 0 } multi
            ? multi.SelectMany(p => (p.Value ?? []).Select(v => new KeyValuePair<string, string?>(p.Key, v)))
            : (model.QueryStringParameters ?? []).Select(p => new KeyValuePair<string, string?>(p.Key, p.Value));
        return FormFields.Encode(fields);
    }

    /// <summary>
    /// The stage (or a custom domain's base path) before <paramref name="path"/>: <c>requestContext.path</c> is the path
    /// the client sent, <c>path</c> the one the API routes. Empty when the event does not tell (or tells in no text).
    /// </summary>
    private static string PathBase(System.Text.Json.JsonElement? context, string path)
    {
        if (context is not { ValueKind: System.Text.Json.JsonValueKind.Object } c || !c.TryGetProperty("path", out var sent) || sent.ValueKind != System.Text.Json.JsonValueKind.String)
        {
            return "";
        }

        try
        {
            return sent.GetString() is { } full && full.Length > path.Length && full.EndsWith(path, StringComparison.Ordinal) ? full[..^path.Length] : "";
        }
        catch (InvalidOperationException)
        {
            return ""; // invalid UTF-8 or half a surrogate pair
        }
    }

    private protected override string? DomainName(ApiGatewayProxyRequest model) => ContextText(model.RequestContext, "domainName");

    /// <summary>A text member of the request context (kept as JSON); null when it is absent or no text.</summary>
    private static string? ContextText(JsonElement? context, string name)
    {
        if (context is not { ValueKind: JsonValueKind.Object } c || !c.TryGetProperty(name, out var value) || value.ValueKind != JsonValueKind.String)
        {
            return null;
        }

        try
        {
            return value.GetString();
        }
        catch (InvalidOperationException)
        {
            return null; // invalid UTF-8 or half a surrogate pair
        }
    }

    private protected override ApiGatewayProxyResponse ToEventResponse(BufferedHttpResponse response)
    {
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        Dictionary<string, List<string>>? multi = null;
        foreach (var (name, values) in response.Headers)
        {
            headers[name] = values[^1];
            if (values.Count > 1)
            {
                (multi ??= new(StringComparer.OrdinalIgnoreCase))[name] = [.. values];
            }
        }

        return new ApiGatewayProxyResponse
        {
            StatusCode = response.StatusCode,
            Headers = headers,
            MultiValueHeaders = multi,
            Body = EncodeBody(response.Body),
            IsBase64Encoded = false,
        };
    }

    private protected override ApiGatewayProxyRequest ToEvent(BufferedHttpRequest request)
    {
        var headers = new Dictionary<string, string>();
        var multi = new Dictionary<string, List<string>>();
        foreach (var (name, values) in request.Headers)
        {
            headers[name] = values[^1];
            multi[name] = [.. values];
        }

        // As API Gateway sends them: decoded, every value and the last of each; absent without a query.
        var query = FormFields.Parse(request.Query).Fields;
        var multiQuery = query.Count == 0 ? null : query.GroupBy(f => f.Key).ToDictionary(g => g.Key, g => g.Select(f => f.Value).ToList());
        return new ApiGatewayProxyRequest
        {
            Resource = request.Path,
            Path = request.Path,
            HttpMethod = request.Method,
            Headers = headers,
            MultiValueHeaders = multi,
            QueryStringParameters = multiQuery?.ToDictionary(p => p.Key, p => p.Value[^1]),
            MultiValueQueryStringParameters = multiQuery,
            Body = request.Body.IsEmpty ? null : Convert.ToBase64String(request.Body.Span),
            IsBase64Encoded = !request.Body.IsEmpty,
        };
    }

    private protected override BufferedHttpResponse FromEventResponse(ApiGatewayProxyResponse response)
    {
        var headers = new HttpHeaderCollection();
        if (response.MultiValueHeaders is { } multi)
        {
            foreach (var (name, values) in multi)
            {
                values.ForEach(v => headers.Add(name, v));
            }
        }

        foreach (var (name, value) in response.Headers ?? [])
        {
            if (!headers.Contains(name))
            {
                headers.Add(name, value);
            }
        }

        // As API Gateway does with a Lambda proxy integration's answer: WWW-Authenticate never reaches the client under its
        // own name (an OAuth challenge must come from a gateway response instead; see the template's).
        if (headers["WWW-Authenticate"] is { } challenge)
        {
            headers.Remove("WWW-Authenticate");
            headers.Set("x-amzn-remapped-www-authenticate", challenge);
        }

        return new BufferedHttpResponse(response.StatusCode, headers, DecodeBody(response.Body, response.IsBase64Encoded));
    }
}
