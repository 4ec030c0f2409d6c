namespace McpLambda.Runtime.Http;

/// <summary>Settings of the Streamable HTTP rules; <see cref="FromEnvironment"/> reads them from the function's configuration.</summary>
public sealed class StreamableHttpOptions
{
    /// <summary>Lambda's own limit for a synchronous request payload.</summary>
    public const int DefaultMaxRequestBodyBytes = 6 * 1024 * 1024;

    /// <summary>Largest request body accepted (after base64 decoding); larger ones get 413.</summary>
    public int MaxRequestBodyBytes { get; init; } = DefaultMaxRequestBodyBytes;

    /// <summary>
    /// Origins allowed to call the function from a browser. Null (the default) allows any origin and
    /// answers CORS with <c>*</c>; a list makes requests whose <c>Origin</c> is not on it fail with 403.
    /// </summary>
    public IReadOnlyList<string>? AllowedOrigins { get; init; }

    /// <summary>
    /// Reads <c>MCPLAMBDA_ALLOWED_ORIGINS</c> (comma-separated) and <c>MCPLAMBDA_MAX_BODY_BYTES</c>.
    /// </summary>
    public static StreamableHttpOptions FromEnvironment()
    {
        var origins = Environment.GetEnvironmentVariable("MCPLAMBDA_ALLOWED_ORIGINS");
        var maxBody = Environment.GetEnvironmentVariable("MCPLAMBDA_MAX_BODY_BYTES");
        return new StreamableHttpOptions
        {
            AllowedOrigins = string.IsNullOrWhiteSpace(origins) || origins.Trim() == "*"
                ? null
                : origins.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries),
            MaxRequestBodyBytes = int.TryParse(maxBody, out var max) && max > 0 ? max : DefaultMaxRequestBodyBytes,
        };
    }
}
