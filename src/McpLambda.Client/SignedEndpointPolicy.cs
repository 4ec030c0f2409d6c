using System.Net;

namespace McpLambda.Client;

/// <summary>
/// What a signed request may be sent to and through: https only (plain http on loopback, for local emulations),
/// and never a handler that follows redirects, which would resend a signed request, body and all, wherever a
/// response points.
/// </summary>
internal static class SignedEndpointPolicy
{
    /// <summary>Throws unless <paramref name="endpoint"/> is an absolute https URI, or http on a loopback host.</summary>
    public static void RequireSecure(Uri endpoint, string paramName)
    {
        if (!endpoint.IsAbsoluteUri || (endpoint.Scheme != Uri.UriSchemeHttps && endpoint.Scheme != Uri.UriSchemeHttp))
        {
            throw new ArgumentException($"The endpoint '{endpoint}' must be an absolute https URI.", paramName);
        }

        if (endpoint.Scheme == Uri.UriSchemeHttp && !IsLoopback(endpoint))
        {
            throw new ArgumentException(
                $"The endpoint '{endpoint}' is plain http: signed requests and MCP traffic would cross the network unencrypted. " +
                "Use https; http is accepted only for a loopback host (127.0.0.1, [::1], localhost), such as a local emulation.",
                paramName);
        }
    }

    /// <summary>Throws when the innermost handler of <paramref name="handler"/> follows redirects.</summary>
    public static void RequireNoRedirects(HttpMessageHandler? handler, string paramName)
    {
        while (handler is DelegatingHandler delegating)
        {
            handler = delegating.InnerHandler;
        }

        var follows = handler switch
        {
            SocketsHttpHandler sockets => sockets.AllowAutoRedirect,
            HttpClientHandler client => client.AllowAutoRedirect,
            _ => false,
        };
        if (follows)
        {
            throw new ArgumentException(
                "The HTTP handler follows redirects (AllowAutoRedirect is true): a redirect would resend the signed request to wherever the response points. " +
                "Set AllowAutoRedirect = false on it.",
                paramName);
        }
    }

    private static bool IsLoopback(Uri endpoint)
        => endpoint.IsLoopback || (IPAddress.TryParse(endpoint.DnsSafeHost, out var address) && IPAddress.IsLoopback(address));
}
