using McpLambda.Runtime.Http;

namespace McpLambda.Runtime.Authorization;

/// <summary>The shapes of the OAuth answers: JSON documents, RFC 6749 errors, and redirects.</summary>
internal static class OAuthAnswers
{
    /// <summary>A JSON answer.</summary>
    public static BufferedHttpResponse Json(int status, byte[] body)
    {
        var headers = new HttpHeaderCollection();
        headers.Set("Content-Type", MediaTypes.Json);
        return new BufferedHttpResponse(status, headers, body);
    }

    /// <summary>An answer that carries credentials or a client's registration, which no cache may keep (RFC 6749 §5.1).</summary>
    public static BufferedHttpResponse Uncached(int status, byte[] body)
    {
        var answer = Json(status, body);
        answer.Headers.Set("Cache-Control", "no-store");
        return answer;
    }

    /// <summary>An OAuth error (RFC 6749 §5.2): its code and a description for the developer.</summary>
    public static BufferedHttpResponse Error(int status, string error, string description)
        => Uncached(status, OAuthJson.Write(json =>
        {
            json.WriteStartObject();
            json.WriteString("error", error);
            json.WriteString("error_description", description);
            json.WriteEndObject();
        }));

    /// <summary>A redirect of the user's browser (302, as authorization servers answer).</summary>
    public static BufferedHttpResponse Redirect(string location)
    {
        var headers = new HttpHeaderCollection();
        headers.Set("Location", location);
        headers.Set("Cache-Control", "no-store");
        return new BufferedHttpResponse(302, headers, ReadOnlyMemory<byte>.Empty);
    }

    /// <summary>405 for a method <paramref name="path"/> does not take.</summary>
    public static BufferedHttpResponse MethodNotAllowed(string path, string allowed)
    {
        var answer = Error(405, "invalid_request", $"{path} takes {allowed}.");
        answer.Headers.Set("Allow", allowed);
        return answer;
    }
}
