using McpLambda.Runtime.Http;
using McpLambda.Runtime.Protocol;
using McpLambda.Runtime.StreamableHttp;

namespace McpLambda.Runtime.Local;

/// <summary>
/// Keeps local mode's endpoint to the developer's own machine. Every web page the developer opens can send requests
/// to 127.0.0.1, and a page whose DNS name re-resolves to 127.0.0.1 (DNS rebinding) even reads the answers: so only a
/// loopback <c>Host</c>, and a missing or loopback <c>Origin</c> (or one named in <c>MCPLAMBDA_LOCAL_ALLOWED_ORIGINS</c>),
/// reach the function; the rest get 403. The Invoke way in also needs <c>Content-Type: application/json</c>, which a
/// page cannot send without a CORS preflight. The Runtime API emulation behind it is guarded the same way.
/// </summary>
internal sealed class LoopbackRequestGuard(int port, IReadOnlyList<string> allowedOrigins, bool requireJsonContent)
{
    private static readonly string[] LoopbackHosts = ["127.0.0.1", "localhost", "[::1]"];

    /// <summary>The refusal for <paramref name="request"/>, or null when it may reach the function.</summary>
    public BufferedHttpResponse? Check(BufferedHttpRequest request)
    {
        var host = request.Headers["Host"];
        if (host is null || !IsLoopbackHost(host))
        {
            return Refuse(403, $"Host '{host}' is not this local endpoint: local mode answers only 127.0.0.1:{port}, localhost:{port} and [::1]:{port} (a foreign Host is how DNS rebinding reaches loopback).");
        }

        var origin = request.Headers["Origin"];
        if (origin is not null && !IsLoopbackOrigin(origin) && !allowedOrigins.Contains(origin, StringComparer.OrdinalIgnoreCase))
        {
            return Refuse(403, $"Origin '{origin}' may not call this local endpoint: only loopback origins may (add others to MCPLAMBDA_LOCAL_ALLOWED_ORIGINS, comma-separated).");
        }

        if (requireJsonContent && request.Method == "POST" && !MediaTypes.IsType(request.Headers["Content-Type"], MediaTypes.Json))
        {
            return Refuse(415, "Content-Type must be application/json: the Invoke way in takes a JSON-RPC message (no preflight-free text/plain POSTs from web pages).");
        }

        return null;
    }

    private bool IsLoopbackHost(string host)
    {
        var value = host.Trim();
        foreach (var loopback in LoopbackHosts)
        {
            if (value.Equals(loopback, StringComparison.OrdinalIgnoreCase) || value.Equals($"{loopback}:{port}", StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }

    private static bool IsLoopbackOrigin(string origin)
        => Uri.TryCreate(origin, UriKind.Absolute, out var uri)
            && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps)
            && uri.IsLoopback;

    private static BufferedHttpResponse Refuse(int status, string message)
        => StreamableHttpHandler.Reject(status, JsonRpcErrorCodes.InvalidRequest, message, allowOrigin: null);
}
