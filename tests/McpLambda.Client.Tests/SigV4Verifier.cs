using System.Collections.Specialized;
using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text;

namespace McpLambda.Client.Tests;

/// <summary>An IAM identity the local emulations know, with its secret key.</summary>
public sealed record AwsCaller(string AccessKey, string SecretKey, string AccountId, string UserArn, string UserId);

/// <summary>The verdict on one request: the verified caller, or the 403 AWS would answer.</summary>
public sealed record SigV4Verdict(AwsCaller? Caller, string? ErrorType, string? Message)
{
    public bool Ok => Caller is not null;
}

/// <summary>
/// Verifies AWS Signature Version 4 (header form, AWS4-HMAC-SHA256) the way an AWS front end does, written from
/// the published algorithm: canonical request, string to sign, HMAC key derivation, 5-minute clock window.
/// </summary>
public sealed class SigV4Verifier(string region, string service, IEnumerable<AwsCaller> callers, Func<DateTimeOffset>? clock = null)
{
    public const string Algorithm = "AWS4-HMAC-SHA256";
    public const string MismatchMessage = "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.";
    private static readonly TimeSpan Window = TimeSpan.FromMinutes(5);
    private readonly Dictionary<string, AwsCaller> _callers = callers.ToDictionary(c => c.AccessKey);
    private readonly Func<DateTimeOffset> _clock = clock ?? (() => DateTimeOffset.UtcNow);

    public string Region => region;

    public string Service => service;

    /// <param name="method">The HTTP method.</param>
    /// <param name="rawTarget">The path and query exactly as sent on the wire.</param>
    /// <param name="headers">The request headers (repeated values comma-joined).</param>
    /// <param name="body">The body as received.</param>
    public SigV4Verdict Verify(string method, string rawTarget, NameValueCollection headers, ReadOnlySpan<byte> body)
    {
        var authorization = headers["Authorization"];
        if (string.IsNullOrEmpty(authorization))
        {
            return Fail("MissingAuthenticationTokenException", "Missing Authentication Token");
        }

        if (!authorization.StartsWith(Algorithm + " ", StringComparison.Ordinal))
        {
            return Fail("IncompleteSignatureException", $"Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header. Authorization={authorization}");
        }

        var parts = authorization[(Algorithm.Length + 1)..]
            .Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            .Select(p => p.Split('=', 2))
            .Where(p => p.Length == 2)
            .ToDictionary(p => p[0], p => p[1]);
        if (!parts.TryGetValue("Credential", out var credential) || !parts.TryGetValue("SignedHeaders", out var signedHeaderList) || !parts.TryGetValue("Signature", out var signature))
        {
            return Fail("IncompleteSignatureException", "Authorization header requires 'Credential', 'SignedHeaders' and 'Signature' parameters.");
        }

        var scope = credential.Split('/');
        if (scope.Length != 5 || scope[4] != "aws4_request")
        {
            return Fail("IncompleteSignatureException", $"Credential should be scoped to a valid region, not '{credential}'.");
        }

        var amzDate = headers["X-Amz-Date"];
        if (amzDate is null || !DateTimeOffset.TryParseExact(amzDate, "yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var signedAt))
        {
            return Fail("IncompleteSignatureException", "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header.");
        }

        if (!_callers.TryGetValue(scope[0], out var caller))
        {
            return Fail("UnrecognizedClientException", "The security token included in the request is invalid.");
        }

        var now = _clock();
        if (signedAt < now - Window)
        {
            return Fail("InvalidSignatureException", $"Signature expired: {amzDate} is now earlier than {Stamp(now - Window)} ({Stamp(now)} - 5 min.)");
        }

        if (signedAt > now + Window)
        {
            return Fail("InvalidSignatureException", $"Signature not yet current: {amzDate} is still later than {Stamp(now + Window)} ({Stamp(now)} + 5 min.)");
        }

        if (scope[1] != amzDate[..8])
        {
            return Fail("InvalidSignatureException", $"Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '{scope[1]}' != '{amzDate[..8]}'");
        }

        if (scope[2] != region)
        {
            return Fail("InvalidSignatureException", $"Credential should be scoped to a valid region, not '{scope[2]}'.");
        }

        if (scope[3] != service)
        {
            return Fail("InvalidSignatureException", $"Credential should be scoped to correct service: '{service}'.");
        }

        var signedHeaders = signedHeaderList.Split(';');
        if (!signedHeaders.Contains("host") || !signedHeaders.Contains("x-amz-date"))
        {
            return Fail("InvalidSignatureException", "'Host' and 'X-Amz-Date' must be signed.");
        }

        var canonical = CanonicalRequest(method, rawTarget, headers, signedHeaders, body);
        var stringToSign = $"{Algorithm}\n{amzDate}\n{string.Join('/', scope[1..])}\n{Hex(SHA256.HashData(Encoding.UTF8.GetBytes(canonical)))}";
        var expected = Hex(HMACSHA256.HashData(SigningKey(caller.SecretKey, scope[1], scope[2], scope[3]), Encoding.UTF8.GetBytes(stringToSign)));
        return CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(expected), Encoding.ASCII.GetBytes(signature))
            ? new SigV4Verdict(caller, null, null)
            : Fail("InvalidSignatureException", MismatchMessage);
    }

    /// <summary>
    /// Reads the request's body and checks its signature; a bad one is answered with AWS's 403 here and
    /// gives null, so a front only handles signed requests.
    /// </summary>
    public async Task<(SigV4Verdict Verdict, byte[] Body)?> AcceptAsync(HttpListenerContext context)
    {
        var request = context.Request;
        var body = await LoopbackServer.ReadBodyAsync(request);
        var verdict = Verify(request.HttpMethod, request.RawUrl!, request.Headers, body);
        if (!verdict.Ok)
        {
            WriteRejection(context.Response, verdict);
            return null;
        }

        return (verdict, body);
    }

    /// <summary>Writes the 403 AWS answers for a rejected signature.</summary>
    public static void WriteRejection(HttpListenerResponse response, SigV4Verdict verdict)
    {
        var body = Encoding.UTF8.GetBytes(new System.Text.Json.Nodes.JsonObject { ["message"] = verdict.Message }.ToJsonString());
        response.StatusCode = 403;
        response.ContentType = "application/json";
        response.Headers["x-amzn-ErrorType"] = verdict.ErrorType;
        response.Headers["x-amzn-RequestId"] = Guid.NewGuid().ToString();
        response.ContentLength64 = body.Length;
        response.OutputStream.Write(body);
        response.Close();
    }

    public static string CanonicalRequest(string method, string rawTarget, NameValueCollection headers, string[] signedHeaders, ReadOnlySpan<byte> body)
    {
        var question = rawTarget.IndexOf('?');
        var path = question < 0 ? rawTarget : rawTarget[..question];
        var query = question < 0 ? "" : rawTarget[(question + 1)..];

        // Every service but S3 encodes each segment of the (already encoded) wire path once more.
        var canonicalPath = path.Length == 0 ? "/" : string.Join('/', path.Split('/').Select(Encode));
        var canonicalQuery = string.Join('&', query
            .Split('&', StringSplitOptions.RemoveEmptyEntries)
            .Select(pair => pair.Split('=', 2))
            .Select(pair => (Key: Encode(WebUtility.UrlDecode(pair[0])), Value: Encode(pair.Length > 1 ? WebUtility.UrlDecode(pair[1]) : "")))
            .OrderBy(p => p.Key, StringComparer.Ordinal)
            .ThenBy(p => p.Value, StringComparer.Ordinal)
            .Select(p => p.Key + "=" + p.Value));
        var canonicalHeaders = string.Concat(signedHeaders.Select(name => name + ":" + Collapse(headers[name] ?? "") + "\n"));
        return $"{method}\n{canonicalPath}\n{canonicalQuery}\n{canonicalHeaders}\n{string.Join(';', signedHeaders)}\n{Hex(SHA256.HashData(body))}";
    }

    private static byte[] SigningKey(string secret, string date, string region, string service)
    {
        var key = HMACSHA256.HashData(Encoding.UTF8.GetBytes("AWS4" + secret), Encoding.UTF8.GetBytes(date));
        key = HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(region));
        key = HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(service));
        return HMACSHA256.HashData(key, "aws4_request"u8);
    }

    /// <summary>RFC 3986 percent-encoding: unreserved characters stay, every other UTF-8 byte becomes %XX (upper case).</summary>
    private static string Encode(string value)
    {
        var builder = new StringBuilder();
        foreach (var b in Encoding.UTF8.GetBytes(value))
        {
            var c = (char)b;
            if (char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or '~')
            {
                builder.Append(c);
            }
            else
            {
                builder.Append('%').Append(b.ToString("X2", CultureInfo.InvariantCulture));
            }
        }

        return builder.ToString();
    }

    private static string Collapse(string value) => string.Join(' ', value.Trim().Split(' ', StringSplitOptions.RemoveEmptyEntries));

    private static string Hex(byte[] bytes) => Convert.ToHexStringLower(bytes);

    private static string Stamp(DateTimeOffset time) => time.UtcDateTime.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture);

    private static SigV4Verdict Fail(string errorType, string message) => new(null, errorType, message);
}
