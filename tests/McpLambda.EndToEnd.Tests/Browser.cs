using System.Net;
using ModelContextProtocol.Authentication;

namespace McpLambda.EndToEnd.Tests;

/// <summary>
/// The user's browser in an authorization code flow: follows the authorization server's redirects (its login and
/// consent are automated) with the cookies they set, until one reaches the client's redirect URI, and reads the
/// authorization response off that URL, as a client's loopback listener would.
/// </summary>
internal static class Browser
{
    public static async Task<AuthorizationResult?> FollowAsync(Uri authorizationUri, Uri redirectUri, CancellationToken cancellationToken)
    {
        using var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, CookieContainer = new CookieContainer() });
        var next = authorizationUri;
        for (var hop = 0; hop < 20; hop++)
        {
            if (next.GetLeftPart(UriPartial.Path) == redirectUri.GetLeftPart(UriPartial.Path))
            {
                var query = System.Web.HttpUtility.ParseQueryString(next.Query);
                if (query["error"] is { } error)
                {
                    throw new InvalidOperationException($"authorization refused: {error} {query["error_description"]}");
                }

                return new AuthorizationResult { Code = query["code"]!, State = query["state"]!, Iss = query["iss"] };
            }

            using var response = await http.GetAsync(next, cancellationToken);
            next = response.Headers.Location is { } location
                ? new Uri(next, location)
                : throw new InvalidOperationException($"the authorization flow stopped at {next}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(cancellationToken)}");
        }

        throw new InvalidOperationException("too many redirects");
    }
}
