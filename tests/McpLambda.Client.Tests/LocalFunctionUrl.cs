using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using McpLambda.Runtime.Local;

namespace McpLambda.Client.Tests;

/// <summary>
/// A Lambda function URL with <c>AWS_IAM</c> auth on loopback: it verifies SigV4 (service <c>lambda</c>),
/// turns the request into a payload format 2.0 event whose <c>requestContext.authorizer.iam</c> names the
/// verified caller, invokes the function through a <see cref="RuntimeApiEmulator"/>, and turns its response
/// back into HTTP.
/// </summary>
public sealed class LocalFunctionUrl : IAsyncDisposable
{
    private const string UrlId = "abcdefghijklmnopqrstuvwxyz012345";
    private readonly SigV4Verifier _verifier;
    private readonly RuntimeApiEmulator _lambda;
    private readonly LoopbackServer _server;
    private int _received;

    internal LocalFunctionUrl(SigV4Verifier verifier, RuntimeApiEmulator lambda)
    {
        _verifier = verifier;
        _lambda = lambda;
        _server = LoopbackServer.Start(HandleAsync);
    }

    /// <summary>The function URL, e.g. <c>http://127.0.0.1:port/</c>.</summary>
    public Uri Url => _server.Url;

    /// <summary>Every HTTP request that reached the URL.</summary>
    public int Received => Volatile.Read(ref _received);

    /// <summary>The events the function was invoked with.</summary>
    public ConcurrentQueue<JsonObject> Events { get; } = new();

    public ValueTask DisposeAsync() => _server.DisposeAsync();

    private async Task HandleAsync(HttpListenerContext context)
    {
        Interlocked.Increment(ref _received);
        var request = context.Request;
        var response = context.Response;
        if (await _verifier.AcceptAsync(context) is not var (verdict, body))
        {
            return;
        }

        var @event = ToEvent(request, body, verdict.Caller!);
        Events.Enqueue(@event);
        var result = await _lambda.InvokeAsync(Encoding.UTF8.GetBytes(@event.ToJsonString()));
        if (result.FunctionError is not null)
        {
            LoopbackServer.Respond(response, 502, """{"Message":"Internal Server Error"}""", new Dictionary<string, string> { ["x-amzn-ErrorType"] = "FunctionError" });
            return;
        }

        await WriteAsync(response, result.Payload);
    }

    private JsonObject ToEvent(HttpListenerRequest request, byte[] body, AwsCaller caller)
    {
        var headers = new JsonObject();
        List<string>? cookies = null;
        foreach (var name in request.Headers.AllKeys.OfType<string>())
        {
            if (name.Equals("Cookie", StringComparison.OrdinalIgnoreCase))
            {
                cookies = [.. request.Headers[name]!.Split(';', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)];
                continue;
            }

            headers[name.ToLowerInvariant()] = request.Headers[name];
        }

        var rawTarget = request.RawUrl!;
        var question = rawTarget.IndexOf('?');
        var rawPath = question < 0 ? rawTarget : rawTarget[..question];
        var rawQuery = question < 0 ? "" : rawTarget[(question + 1)..];
        var contentType = request.ContentType ?? "";
        var isText = contentType.StartsWith("text/", StringComparison.OrdinalIgnoreCase) || contentType.Contains("json", StringComparison.OrdinalIgnoreCase);
        var now = DateTimeOffset.UtcNow;
        var @event = new JsonObject
        {
            ["version"] = "2.0",
            ["routeKey"] = "$default",
            ["rawPath"] = rawPath,
            ["rawQueryString"] = rawQuery,
            ["headers"] = headers,
            ["requestContext"] = new JsonObject
            {
                ["accountId"] = "anonymous",
                ["apiId"] = UrlId,
                ["authorizer"] = new JsonObject
                {
                    ["iam"] = new JsonObject
                    {
                        ["accessKey"] = caller.AccessKey,
                        ["accountId"] = caller.AccountId,
                        ["callerId"] = caller.UserId,
                        ["cognitoIdentity"] = null,
                        ["principalOrgId"] = null,
                        ["userArn"] = caller.UserArn,
                        ["userId"] = caller.UserId,
                    },
                },
                ["domainName"] = $"{UrlId}.lambda-url.{_verifier.Region}.on.aws",
                ["domainPrefix"] = UrlId,
                ["http"] = new JsonObject
                {
                    ["method"] = request.HttpMethod,
                    ["path"] = Uri.UnescapeDataString(rawPath),
                    ["protocol"] = "HTTP/1.1",
                    ["sourceIp"] = request.RemoteEndPoint.Address.ToString(),
                    ["userAgent"] = request.UserAgent,
                },
                ["requestId"] = Guid.NewGuid().ToString(),
                ["routeKey"] = "$default",
                ["stage"] = "$default",
                ["time"] = now.ToString("dd/MMM/yyyy:HH:mm:ss +0000", CultureInfo.InvariantCulture),
                ["timeEpoch"] = now.ToUnixTimeMilliseconds(),
            },
            ["isBase64Encoded"] = body.Length > 0 && !isText,
        };
        if (cookies is not null)
        {
            @event["cookies"] = new JsonArray([.. cookies.Select(c => (JsonNode?)c)]);
        }

        if (rawQuery.Length > 0)
        {
            var parameters = new JsonObject();
            foreach (var key in request.QueryString.AllKeys.OfType<string>())
            {
                parameters[key] = request.QueryString[key];
            }

            @event["queryStringParameters"] = parameters;
        }

        if (body.Length > 0)
        {
            @event["body"] = isText ? Encoding.UTF8.GetString(body) : Convert.ToBase64String(body);
        }

        return @event;
    }

    /// <summary>A function URL answer is either a response object (<c>statusCode</c>, …) or, failing that, a JSON body.</summary>
    private static async Task WriteAsync(HttpListenerResponse response, byte[] payload)
    {
        JsonNode? node = null;
        try
        {
            node = JsonNode.Parse(payload);
        }
        catch (System.Text.Json.JsonException)
        {
            // Not JSON: sent as it is.
        }

        if (node is JsonObject answer && answer["statusCode"] is JsonValue status)
        {
            response.StatusCode = status.GetValue<int>();
            foreach (var (name, value) in answer["headers"]?.AsObject() ?? [])
            {
                if (!name.Equals("Content-Length", StringComparison.OrdinalIgnoreCase))
                {
                    response.Headers[name] = value?.GetValue<string>();
                }
            }

            foreach (var cookie in answer["cookies"]?.AsArray() ?? [])
            {
                response.Headers.Add("Set-Cookie", cookie!.GetValue<string>());
            }

            var text = answer["body"]?.GetValue<string>();
            var body = text is null ? [] : answer["isBase64Encoded"]?.GetValue<bool>() == true ? Convert.FromBase64String(text) : Encoding.UTF8.GetBytes(text);
            response.ContentLength64 = body.Length;
            await response.OutputStream.WriteAsync(body);
            response.Close();
            return;
        }

        response.StatusCode = 200;
        response.ContentType = "application/json";
        response.ContentLength64 = payload.Length;
        await response.OutputStream.WriteAsync(payload);
        response.Close();
    }
}
