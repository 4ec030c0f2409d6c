using McpLambda.Runtime.Protocol;

namespace McpLambda.Runtime.StreamableHttp;

/// <summary>Settings of the Streamable HTTP rules (<c>MCPLAMBDA_ALLOWED_ORIGINS</c>, <c>MCPLAMBDA_MAX_BODY_BYTES</c> in a function).</summary>
internal sealed record StreamableHttpOptions
{
    /// <summary>Lambda's own limit for a synchronous request payload.</summary>
    public const int DefaultMaxRequestBodyBytes = LambdaLimits.PayloadBytes;

    /// <summary>Largest request body accepted (after base64 decoding); larger ones get 413.</summary>
    public int MaxRequestBodyBytes { get; init; } = DefaultMaxRequestBodyBytes;

    /// <summary>
    /// Origins allowed to call the function from a browser. Null (the default) allows any origin and answers CORS with
    /// <c>*</c>. A list serves requests without <c>Origin</c>, pages of the host the request was sent to (<c>https://</c>
    /// and its <c>Host</c>) and the origins on it; other requests get 403. A function under the Lambda Runtime API gets an
    /// empty list unless <c>MCPLAMBDA_ALLOWED_ORIGINS</c> names origins or <c>*</c>.
    /// </summary>
    public IReadOnlyList<string>? AllowedOrigins { get; init; }

    /// <summary>How long a streamed event stream may stay quiet before a keep-alive comment goes out.</summary>
    internal TimeSpan KeepAliveInterval { get; init; } = TimeSpan.FromSeconds(5);
}
