using System.Text;
using System.Text.Json;
using McpLambda.Runtime.Protocol;
using McpLambda.Runtime.Tests.Support;

namespace McpLambda.Runtime.Tests.Fuzzing;

/// <summary>
/// What the README's Streamable HTTP rule table says each fuzzed event must get, and the checks that every
/// answer is a well-formed event response whose status and JSON-RPC error codes go together.
/// </summary>
internal static class AnswerOracle
{
    private static readonly int[] KnownCodes =
    [
        JsonRpcErrorCodes.ParseError, JsonRpcErrorCodes.InvalidRequest, JsonRpcErrorCodes.MethodNotFound, JsonRpcErrorCodes.InvalidParams,
        JsonRpcErrorCodes.InternalError, JsonRpcErrorCodes.ConnectionClosed, JsonRpcErrorCodes.RequestTimeout,
        JsonRpcErrorCodes.HeaderMismatch, JsonRpcErrorCodes.UnsupportedProtocolVersion,
    ];

    /// <summary>Checks the answer to an HTTP event: well-formed always, and as the rule table predicts unless the event was corrupted.</summary>
    public static void CheckHttp(HttpFuzzCase c, byte[] payload)
    {
        var response = ProxyResponse.Parse(payload);
        CheckWellFormed(response);
        if (c.Corruption is not null)
        {
            return;
        }

        var (status, code, body) = Expected(c);
        if (status < 0)
        {
            return;
        }

        Assert.True(status == response.StatusCode, $"expected {status}, got {response}");
        if (code is { } rejected)
        {
            var error = JsonDocument.Parse(response.Body!).RootElement;
            Assert.Equal(rejected, error.GetProperty("error").GetProperty("code").GetInt32());
            if (ExpectedErrorId(rejected, body) is { } id)
            {
                Assert.Equal(id, BodyGenerators.IdKey(error.GetProperty("id")));
            }
        }

        if (status == 200)
        {
            var json = MediaTypes(response) is "application/json";
            Assert.True(json == c.Accept.Json, $"JSON answer {json} for Accept {c.Accept.Value}");
            CheckAnswers(body!, AnswerJson(response));
        }
    }

    /// <summary>Checks the answer to a direct Invoke event, whose payload is the JSON-RPC answer itself.</summary>
    public static void CheckInvoke(FuzzBody body, byte[] payload)
    {
        using var document = JsonDocument.Parse(payload);
        var root = document.RootElement;
        var verdict = body.IsBatch && (body.Answers.Count == 0 || body.Answers.Count > BodyGenerators.MaxBatchLength) ? BodyVerdict.InvalidRequest : body.Verdict;
        switch (verdict)
        {
            case BodyVerdict.ParseError or BodyVerdict.InvalidRequest:
                CheckMessage(root);
                Assert.Equal(verdict == BodyVerdict.ParseError ? JsonRpcErrorCodes.ParseError : JsonRpcErrorCodes.InvalidRequest, root.GetProperty("error").GetProperty("code").GetInt32());
                Assert.Equal(body.IsBatch ? "null" : body.RejectedId, BodyGenerators.IdKey(root.GetProperty("id")));
                break;
            case BodyVerdict.Dispatched when !body.HasAnswers:
                Assert.Equal("{}", Encoding.UTF8.GetString(payload));
                break;
            case BodyVerdict.Dispatched:
                CheckAnswers(body, root);
                break;
            default:
                if (root.ValueKind == JsonValueKind.Array)
                {
                    Assert.All(root.EnumerateArray(), CheckMessage);
                }
                else if (root.EnumerateObject().Any())
                {
                    CheckMessage(root);
                }

                break;
        }
    }

    /// <summary>
    /// The id a refusal names (raw JSON): a single invalid message's own for -32600; for -32022 a body of one request's
    /// (the body is read before the version is judged); else null. Null when the oracle cannot tell (unpredicted bytes).
    /// </summary>
    private static string? ExpectedErrorId(int code, FuzzBody? body) => code switch
    {
        JsonRpcErrorCodes.InvalidRequest when body?.Verdict == BodyVerdict.InvalidRequest => body.RejectedId,
        JsonRpcErrorCodes.UnsupportedProtocolVersion when body?.Verdict == BodyVerdict.Unpredicted => null,
        JsonRpcErrorCodes.UnsupportedProtocolVersion when body is { Verdict: BodyVerdict.Dispatched, IsBatch: false, Answers: [{ Answered: true } request] } => request.Id,
        _ => "null",
    };

    private static (int Status, int? Code, FuzzBody? Body) Expected(HttpFuzzCase c)
    {
        if (c.Transport == BodyTransport.BrokenBase64 || string.IsNullOrEmpty(c.Method))
        {
            return (400, JsonRpcErrorCodes.InvalidRequest, null);
        }

        if (c.Origin is not null && !c.Origin.Equals(HttpFuzzCase.AllowedOrigin, StringComparison.OrdinalIgnoreCase))
        {
            return (403, JsonRpcErrorCodes.InvalidRequest, null);
        }

        var method = c.Method.ToUpperInvariant();
        if (method == "OPTIONS")
        {
            return (204, null, null);
        }

        if (method != "POST")
        {
            return (405, JsonRpcErrorCodes.InvalidRequest, null);
        }

        var bytes = c.DecodedBody;
        if (bytes.Length > HttpFuzzCase.MaxBodyBytes)
        {
            return (413, JsonRpcErrorCodes.InvalidRequest, null);
        }

        if (!c.ContentType.IsJson)
        {
            return (415, JsonRpcErrorCodes.InvalidRequest, null);
        }

        if (!c.Accept.Json && !c.Accept.Sse)
        {
            return (406, JsonRpcErrorCodes.InvalidRequest, null);
        }

        if (!c.Version.Supported)
        {
            return (400, JsonRpcErrorCodes.UnsupportedProtocolVersion, c.Transport == BodyTransport.Missing ? null : c.Body);
        }

        var body = c.Transport == BodyTransport.Missing ? FuzzBody.Raw([], BodyVerdict.ParseError) : c.Body;
        return body.Verdict switch
        {
            BodyVerdict.ParseError => (400, JsonRpcErrorCodes.ParseError, body),
            BodyVerdict.InvalidRequest => (400, JsonRpcErrorCodes.InvalidRequest, body),
            BodyVerdict.Unpredicted => (-1, null, body),
            _ when body.IsBatch && (!c.Version.AllowsBatches || body.Answers.Count == 0 || body.Answers.Count > BodyGenerators.MaxBatchLength)
                => (400, JsonRpcErrorCodes.InvalidRequest, null),
            _ => (body.HasAnswers ? 200 : 202, null, body),
        };
    }

    /// <summary>The answers of a dispatched body: one per request and invalid entry, in order, with its id and code.</summary>
    private static void CheckAnswers(FuzzBody body, JsonElement answers)
    {
        var expected = body.Answers.Where(a => a.Answered).ToList();
        var actual = body.IsBatch ? [.. answers.EnumerateArray()] : new List<JsonElement> { answers };
        Assert.Equal(expected.Count, actual.Count);
        for (var i = 0; i < expected.Count; i++)
        {
            CheckMessage(actual[i]);
            Assert.Equal(expected[i].Id, BodyGenerators.IdKey(actual[i].GetProperty("id")));
            var code = actual[i].TryGetProperty("error", out var error) ? error.GetProperty("code").GetInt32() : (int?)null;
            Assert.True(expected[i].Code == code, $"entry {i}: expected code {expected[i].Code}, got {actual[i]}");
        }
    }

    /// <summary>Every HTTP answer: a status the rule table has, and a body that goes with it.</summary>
    private static void CheckWellFormed(ProxyResponse response)
    {
        switch (response.StatusCode)
        {
            case 202 or 204:
                Assert.Null(response.Body);
                break;
            case 200:
                var answer = AnswerJson(response);
                if (answer.ValueKind == JsonValueKind.Array)
                {
                    Assert.All(answer.EnumerateArray(), CheckMessage);
                }
                else
                {
                    CheckMessage(answer);
                }

                break;
            case 400 or 403 or 405 or 406 or 413 or 415:
                Assert.Equal("application/json", MediaTypes(response));
                var error = response.Json();
                CheckMessage(error);
                var code = error.GetProperty("error").GetProperty("code").GetInt32();
                Assert.True(code is JsonRpcErrorCodes.InvalidRequest or JsonRpcErrorCodes.UnsupportedProtocolVersion || (code == JsonRpcErrorCodes.ParseError && response.StatusCode == 400), $"code {code} with status {response.StatusCode}");
                if (response.StatusCode == 405)
                {
                    Assert.Equal("POST, OPTIONS", response.Header("Allow"));
                }

                break;
            default:
                Assert.Fail($"status {response.StatusCode} is not in the rule table: {response}");
                break;
        }
    }

    /// <summary>A JSON-RPC answer: version, an id of a JSON-RPC type, and a result or an error with a known code and a message.</summary>
    private static void CheckMessage(JsonElement message)
    {
        Assert.Equal(JsonValueKind.Object, message.ValueKind);
        Assert.Equal("2.0", message.GetProperty("jsonrpc").GetString());
        Assert.Contains(message.GetProperty("id").ValueKind, new[] { JsonValueKind.String, JsonValueKind.Number, JsonValueKind.Null });
        var hasResult = message.TryGetProperty("result", out _);
        var hasError = message.TryGetProperty("error", out var error);
        Assert.True(hasResult != hasError, "exactly one of result and error: " + message);
        if (hasError)
        {
            Assert.Contains(error.GetProperty("code").GetInt32(), KnownCodes);
            Assert.False(string.IsNullOrEmpty(error.GetProperty("message").GetString()));
        }
    }

    /// <summary>The answer JSON of a 200: the body itself, or the data of the SSE stream's last event.</summary>
    private static JsonElement AnswerJson(ProxyResponse response)
    {
        if (MediaTypes(response) is "application/json")
        {
            return response.Json();
        }

        Assert.Equal("text/event-stream", MediaTypes(response));
        var events = response.Body!.Split("\n\n", StringSplitOptions.RemoveEmptyEntries);
        var last = events[^1];
        Assert.StartsWith("event: message\ndata: ", last);
        return JsonDocument.Parse(last["event: message\ndata: ".Length..]).RootElement.Clone();
    }

    private static string? MediaTypes(ProxyResponse response) => response.Header("Content-Type");
}
