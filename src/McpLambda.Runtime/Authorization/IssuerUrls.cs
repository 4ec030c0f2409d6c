namespace McpLambda.Runtime.Authorization;

/// <summary>Where an issuer's metadata is, and which URLs may carry keys: https, or http on the loopback interface only.</summary>
internal static class IssuerUrls
{
    /// <summary>OpenID discovery (path appended), then RFC 8414 (path inserted after the well-known prefix).</summary>
    public static IEnumerable<Uri> MetadataUrls(string issuer)
    {
        var uri = new Uri(issuer);
        var path = uri.AbsolutePath.TrimEnd('/');
        var origin = uri.GetLeftPart(UriPartial.Authority);
        yield return new Uri(origin + path + "/.well-known/openid-configuration");
        yield return new Uri(origin + "/.well-known/oauth-authorization-server" + path);
    }

    /// <summary>Whether keys fetched from <paramref name="url"/> can be trusted in transit.</summary>
    public static bool IsSecure(Uri url) => url.Scheme == Uri.UriSchemeHttps || (url.Scheme == Uri.UriSchemeHttp && url.IsLoopback);
}
