using System.Text;
using System.Text.Json.Nodes;
using CsCheck;
using McpLambda.Runtime.Tests.Support;

namespace McpLambda.Runtime.Tests.Fuzzing;

/// <summary>The HTTP ways in, each fuzzed from a real event of its own.</summary>
internal enum HttpWay
{
    ApiGatewayRest,
    HttpApi,
    FunctionUrl,
}

/// <summary>How the body travels in the event.</summary>
internal enum BodyTransport
{
    Text,
    Base64,
    BrokenBase64,
    Missing,
}

/// <summary>
/// One mutated HTTP event: the request's parts (each with what the Streamable HTTP rules make of it), how they are
/// placed in the event, and optionally a blind corruption of the event itself, after which only the answer's
/// well-formedness is predicted.
/// </summary>
internal sealed record HttpFuzzCase(
    HttpWay Way,
    string? Method,
    string? Origin,
    (string? Value, bool IsJson) ContentType,
    (string? Value, bool Json, bool Sse) Accept,
    (string? Value, bool Supported, bool AllowsBatches) Version,
    FuzzBody Body,
    BodyTransport Transport,
    int HeaderPlacement,
    int NameCaseSeed,
    EventCorruption? Corruption)
{
    public const string AllowedOrigin = "https://app.example";

    /// <summary>The body limit the fuzzed handlers are configured with, so generated bodies reach it.</summary>
    public const int MaxBodyBytes = 16 * 1024;

    private static readonly Gen<string?> Methods = Gen.Frequency<string?>(
        (12, Gen.Const<string?>("POST")), (1, Gen.Const<string?>("post")),
        (2, Gen.OneOf<string?>("GET", "DELETE", "OPTIONS", "PUT", "PATCH", "HEAD", null, "")));

    private static readonly Gen<string?> Origins = Gen.Frequency<string?>(
        (6, Gen.Const<string?>(() => null)), (2, Gen.OneOf<string?>(AllowedOrigin, "HTTPS://APP.EXAMPLE")),
        (1, Gen.OneOf<string?>("https://evil.example", "null", "https://app.example.evil.test", "http://app.example")));

    private static readonly Gen<(string?, bool)> ContentTypes = Gen.Frequency<(string?, bool)>(
        (8, Gen.OneOf<(string?, bool)>(("application/json", true), ("application/json; charset=utf-8", true), ("APPLICATION/JSON", true), (" application/json ;charset=UTF-8", true))),
        (1, Gen.OneOf<(string?, bool)>(("text/plain", false), ("application/json-seq", false), (null, false), ("application/x-www-form-urlencoded", false), ("json", false))));

    private static readonly Gen<(string?, bool, bool)> Accepts = Gen.Frequency<(string?, bool, bool)>(
        (6, Gen.Const<(string?, bool, bool)>(("application/json, text/event-stream", true, true))),
        (3, Gen.OneOf<(string?, bool, bool)>((null, true, false), ("application/json", true, false), ("text/event-stream", false, true), ("*/*", true, true),
            ("application/*", true, false), ("text/*", false, true), ("application/json;q=0, text/event-stream", false, true), ("text/event-stream;q=0, */*", true, false))),
        (1, Gen.OneOf<(string?, bool, bool)>(("text/html", false, false), ("application/json;q=0", false, false), ("image/png, text/plain", false, false))));

    private static readonly Gen<(string?, bool, bool)> Versions = Gen.Frequency<(string?, bool, bool)>(
        (4, Gen.OneOf<(string?, bool, bool)>((null, true, true), ("2024-11-05", true, true), ("2025-03-26", true, true))),
        (4, Gen.OneOf<(string?, bool, bool)>(("2025-06-18", true, false), ("2025-11-25", true, false), (" 2025-06-18 ", true, false))),
        (1, Gen.OneOf<(string?, bool, bool)>(("2025-13-01", false, false), ("2024-11-05, 2025-06-18", false, false), ("latest", false, false))));

    private static readonly Gen<BodyTransport> Transports = Gen.Frequency(
        (8, Gen.Const(BodyTransport.Text)), (3, Gen.Const(BodyTransport.Base64)), (1, Gen.Const(BodyTransport.BrokenBase64)), (1, Gen.Const(BodyTransport.Missing)));

    public static readonly Gen<HttpFuzzCase> Generator =
        from way in Gen.Enum<HttpWay>()
        from method in Methods
        from origin in Origins
        from contentType in ContentTypes
        from accept in Accepts
        from version in Versions
        from body in BodyGenerators.Body
        from transport in Transports
        from placement in Gen.Int[0, 2]
        from nameCase in Gen.Int
        from corruption in Gen.Frequency((9, Gen.Const<EventCorruption?>(() => null)), (1, EventCorruption.Generator.Select(c => (EventCorruption?)c)))
        select new HttpFuzzCase(way, method, origin, contentType, accept, version,
            // Bytes that are not UTF-8 can only travel base64-encoded.
            body, transport == BodyTransport.Text && !IsUtf8(body.Bytes) ? BodyTransport.Base64 : transport, placement, nameCase, corruption);

    /// <summary>The event as its front door would send it, corrupted if the case says so.</summary>
    public byte[] ToEvent()
    {
        var @event = Way switch
        {
            HttpWay.ApiGatewayRest => EventFixtures.LoadNode("post-echo-string-id"),
            HttpWay.HttpApi => EventFixtures.LoadNode("PayloadV2/httpapi-v2-tools-call"),
            _ => EventFixtures.LoadNode("PayloadV2/functionurl-iam-tools-list"),
        };

        var headers = new JsonObject
        {
            ["Host"] = "a1b2c3d4e5.execute-api.us-east-1.amazonaws.com",
            ["X-Forwarded-Proto"] = "https",
        };
        Put(headers, "Content-Type", ContentType.Value);
        Put(headers, "Accept", Accept.Value);
        Put(headers, "MCP-Protocol-Version", Version.Value);
        Put(headers, "Origin", Origin);
        headers = Renamed(headers);

        if (Way == HttpWay.ApiGatewayRest)
        {
            @event["httpMethod"] = Method;
            @event["headers"] = HeaderPlacement != 1 ? headers.DeepClone() : null;
            @event["multiValueHeaders"] = HeaderPlacement != 0
                ? new JsonObject([.. headers.Select(h => KeyValuePair.Create(h.Key, (JsonNode?)new JsonArray(h.Value!.DeepClone())))])
                : null;
        }
        else
        {
            @event["requestContext"]!["http"]!["method"] = Method;
            @event["headers"] = headers;
        }

        (@event["body"], @event["isBase64Encoded"]) = Transport switch
        {
            BodyTransport.Text => ((JsonNode?)Encoding.UTF8.GetString(Body.Bytes), false),
            BodyTransport.Base64 => (Convert.ToBase64String(Body.Bytes), true),
            BodyTransport.BrokenBase64 => ("not base64: " + Encoding.UTF8.GetString(Body.Bytes), true),
            _ => (null, HeaderPlacement == 2),
        };

        return Corruption is { } corruption ? corruption.Apply(@event) : Encoding.UTF8.GetBytes(@event.ToJsonString());
    }

    /// <summary>The body the request carries once decoded.</summary>
    public byte[] DecodedBody => Transport == BodyTransport.Missing ? [] : Body.Bytes;

    private static void Put(JsonObject headers, string name, string? value)
    {
        if (value is not null)
        {
            headers[name] = value;
        }
    }

    /// <summary>Header names in the case this case's seed picks for each: as written, lower, upper or mixed.</summary>
    private JsonObject Renamed(JsonObject headers)
    {
        var random = new Random(NameCaseSeed);
        var renamed = new JsonObject();
        foreach (var (name, value) in headers)
        {
            var newName = (Way != HttpWay.ApiGatewayRest ? 1 : random.Next(4)) switch
            {
                0 => name,
                1 => name.ToLowerInvariant(),
                2 => name.ToUpperInvariant(),
                _ => new string([.. name.Select(c => random.Next(2) == 0 ? char.ToLowerInvariant(c) : char.ToUpperInvariant(c))]),
            };
            renamed[newName] = value?.DeepClone();
        }

        return renamed;
    }

    private static bool IsUtf8(byte[] bytes)
    {
        try
        {
            _ = new UTF8Encoding(false, true).GetString(bytes);
            return true;
        }
        catch (DecoderFallbackException)
        {
            return false;
        }
    }

    public override string ToString()
        => $"{Way} {Method} origin={Origin} ct={ContentType.Value} accept={Accept.Value} version={Version.Value} {Transport} placement={HeaderPlacement} corruption={Corruption}\n  body: {Body}";
}
