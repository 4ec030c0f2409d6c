using McpLambda.Runtime.Http;
using McpLambda.Runtime.Protocol;

namespace McpLambda.Runtime.StreamableHttp;

/// <summary>
/// Which web pages may call the function, by the request's <c>Origin</c>, which the MCP transport requires servers to
/// check: otherwise any page a user opens can call the endpoint from the user's browser. With no list every origin may
/// (CORS <c>*</c>). With a list (<see cref="StreamableHttpOptions.AllowedOrigins"/>, empty by default under the Lambda
/// Runtime API) these may: a request without <c>Origin</c> (an MCP client outside a browser), a page of the host the
/// request was sent to (<c>https://</c> and the event's <c>Host</c> or <c>domainName</c>), and the listed origins.
/// </summary>
internal static class OriginPolicy
{
    /// <summary>
    /// The <c>Access-Control-Allow-Origin</c> value for <paramref name="request"/> under <paramref name="allowed"/>:
    /// <c>*</c> when every origin may call, the request's own <c>Origin</c> when it may, and null when it is refused or
    /// has no <c>Origin</c> to grant (a null request is one whose event could not be read).
    /// </summary>
    public static string? AllowOrigin(IReadOnlyList<string>? allowed, BufferedHttpRequest? request)
    {
        if (allowed is null)
        {
            return "*";
        }

        return request?.Headers["Origin"] is { } origin
            && (allowed.Contains(origin, StringComparer.OrdinalIgnoreCase) || IsOwn(origin, request))
                ? origin
                : null;
    }

    /// <summary>What <paramref name="allowed"/> lets in, for the start-up log.</summary>
    public static string Describe(IReadOnlyList<string>? allowed) => allowed switch
    {
        null => $"Origin: every web page may call ({EnvironmentVariableNames.AllowedOrigins}=*)",
        [] => $"Origin: only requests without one (MCP clients outside a browser) and pages of the function's own https host are served; "
            + $"others get 403 (list trusted origins in {EnvironmentVariableNames.AllowedOrigins}, or * for every one)",
        _ => $"Origin: requests without one, pages of the function's own https host and {string.Join(", ", allowed)} are served; others get 403",
    };

    /// <summary>Whether <paramref name="origin"/> is the one of the host <paramref name="request"/> was sent to (browsers omit the default port).</summary>
    private static bool IsOwn(string origin, BufferedHttpRequest request)
        => origin.StartsWith("https://", StringComparison.OrdinalIgnoreCase)
            && (IsHost(origin, request.Headers["Host"]) || IsHost(origin, request.DomainName));

    private static bool IsHost(string origin, string? host)
        => !string.IsNullOrWhiteSpace(host) && origin.AsSpan("https://".Length).Equals(host.Trim(), StringComparison.OrdinalIgnoreCase);
}
