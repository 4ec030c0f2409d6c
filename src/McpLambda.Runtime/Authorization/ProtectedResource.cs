using McpLambda.Runtime.Http;

namespace McpLambda.Runtime.Authorization;

/// <summary>
/// The MCP endpoint as a protected resource (RFC 9728): its canonical URL, which tokens must be issued for, and the URL
/// of its metadata. Both come from the request as the client sent it (scheme from <c>X-Forwarded-Proto</c>, <c>Host</c>,
/// an API Gateway stage), or from the configured resource when the event cannot tell (a custom domain).
/// </summary>
/// <param name="Resource">The endpoint's canonical URL.</param>
/// <param name="MetadataUrl">Where its metadata is: the well-known path inserted before the endpoint's path.</param>
internal sealed record ProtectedResource(string Resource, string MetadataUrl)
{
    /// <summary>The well-known path of protected resource metadata.</summary>
    public const string MetadataPath = "/.well-known/oauth-protected-resource";

    /// <summary>The endpoint path assumed when the metadata is asked for at the bare well-known path.</summary>
    public const string DefaultEndpointPath = "/mcp";

    /// <summary>Whether <paramref name="path"/> asks for the metadata (bare, or with the endpoint's path after it).</summary>
    public static bool IsMetadataPath(string path)
        => path.StartsWith(MetadataPath, StringComparison.Ordinal) && (path.Length == MetadataPath.Length || path[MetadataPath.Length] == '/');

    /// <summary>
    /// The function's own URL before the paths it serves: the scheme and host the client used (or those of the configured
    /// resource), then the stage. The registration facade's issuer, and the base of its endpoints.
    /// </summary>
    public static string BaseUrl(BufferedHttpRequest request, Uri? configured)
    {
        if (configured is not null)
        {
            return configured.GetLeftPart(UriPartial.Authority) + request.PathBase;
        }

        var scheme = request.Headers["X-Forwarded-Proto"]?.Split(',')[0].Trim() is { Length: > 0 } forwarded ? forwarded.ToLowerInvariant() : "https";
        return scheme + "://" + (request.Headers["Host"] ?? "localhost") + request.PathBase;
    }

    /// <summary>The resource <paramref name="request"/> addresses (or, for a metadata request, describes).</summary>
    public static ProtectedResource Of(BufferedHttpRequest request, Uri? configured)
    {
        if (configured is not null)
        {
            var path = configured.AbsolutePath.TrimEnd('/');
            return new ProtectedResource(configured.ToString().TrimEnd('/'), configured.GetLeftPart(UriPartial.Authority) + MetadataPath + path);
        }

        var origin = BaseUrl(request, null);
        var endpoint = IsMetadataPath(request.Path) ? request.Path[MetadataPath.Length..] : request.Path;
        endpoint = endpoint.TrimEnd('/') is { Length: > 0 } trimmed ? trimmed : DefaultEndpointPath;
        return new ProtectedResource(origin + endpoint, origin + MetadataPath + endpoint);
    }
}
