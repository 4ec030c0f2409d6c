using System.Text;
using System.Text.Json.Nodes;
using CsCheck;
using McpLambda.Runtime.Protocol;

namespace McpLambda.Runtime.Tests.Fuzzing;

/// <summary>
/// Generators of request bodies with what the rules say about each: single messages and batches of requests,
/// notifications, responses and invalid entries with ids of every JSON type and size, and bodies that are not
/// JSON-RPC at all (empty, not JSON, too deep, truncated, other encodings).
/// </summary>
internal static class BodyGenerators
{
    /// <summary>The batch length limit the fuzzed handlers are configured with.</summary>
    public const int MaxBatchLength = 10;

    private static readonly Gen<string> Method = Gen.Frequency(
        (6, Gen.OneOf("tools/call", "tools/list", "ping", "initialize", "resources/read", "prompts/get", "resources/list", EchoMessageHandler.ErrorPrefix + "boom")),
        (1, JsonGenerators.Text.Where(m => !m.StartsWith(EchoMessageHandler.ErrorPrefix, StringComparison.Ordinal) && m != "initialize")));

    /// <summary>A valid id as raw JSON and its key (see <see cref="IdKey"/>).</summary>
    private static readonly Gen<(string Json, string Key)> ValidId = Gen.Frequency(
        (3, JsonGenerators.Text.Select(s => (JsonGenerators.Quote(s), "s:" + s))),
        (3, Gen.Long.Select(n => (n.ToString(System.Globalization.CultureInfo.InvariantCulture), "n:" + n))),
        (1, Gen.OneOf(0L, -1L, long.MaxValue, long.MinValue).Select(n => (n.ToString(System.Globalization.CultureInfo.InvariantCulture), "n:" + n))));

    /// <summary>An id no JSON-RPC message may carry (JSON-RPC allows strings and integers here); its error names no id.</summary>
    private static readonly Gen<string> InvalidId = Gen.OneOf("null", "true", "false", "{}", "[]", "[1]", "{\"id\":1}", "1.5", "1e300", "18446744073709551616", "-0.5");

    /// <summary>Params of every JSON type, and how <c>initialize</c> treats them.</summary>
    private static readonly Gen<(string? Json, bool IsObjectOrNull)> Params = Gen.Frequency(
        (2, Gen.Const<(string?, bool)>((null, true))),
        (1, Gen.Const<(string?, bool)>(("null", true))),
        (4, JsonGenerators.Object(3).Select(o => ((string?)o.ToJsonString(), true))),
        (1, Gen.Int[1, 40].Select(n => ((string?)("{\"deep\":" + JsonGenerators.Nested(n) + "}"), true))),
        (2, JsonGenerators.Value(2).Where(v => v is not JsonObject and not null).Select(v => ((string?)v!.ToJsonString(), false))));

    /// <summary>Params that name one member twice, at the top or nested in objects and arrays (RFC 8259 leaves which counts to the reader).</summary>
    private static readonly Gen<string> DuplicateMember =
        from key in JsonGenerators.Text
        from first in JsonGenerators.Value(1)
        from second in JsonGenerators.Value(1)
        from depth in Gen.Int[0, 3]
        let twice = $"{{{JsonGenerators.Quote(key)}:{first?.ToJsonString() ?? "null"},{JsonGenerators.Quote(key)}:{second?.ToJsonString() ?? "null"}}}"
        select Enumerable.Range(0, depth).Aggregate(twice, (inner, level) => level % 2 == 0 ? $"{{\"arguments\":{inner}}}" : $"{{\"list\":[1,{inner}]}}");

    private static readonly Gen<string> Extra = Gen.OneOf("", ",\"_meta\":{\"progressToken\":7}", ",\"extra\":[1,2,{}]", ",\"jsonrpc2\":null");

    private static readonly Gen<(string Json, ExpectedAnswer Answer)> Request =
        from id in ValidId
        from method in Method
        from parameters in Params
        from extra in Extra
        select ($"{{\"jsonrpc\":\"2.0\",\"id\":{id.Json},\"method\":{JsonGenerators.Quote(method)}{(parameters.Json is null ? "" : ",\"params\":" + parameters.Json)}{extra}}}",
            new ExpectedAnswer(id.Key, ExpectedCode(method, parameters.IsObjectOrNull)));

    private static readonly Gen<(string Json, ExpectedAnswer Answer)> Notification =
        from method in Gen.OneOf("notifications/initialized", "notifications/cancelled", "notifications/progress", "notifications/roots/list_changed")
        from parameters in Params
        select ($"{{\"jsonrpc\":\"2.0\",\"method\":\"{method}\"{(parameters.Json is null ? "" : ",\"params\":" + parameters.Json)}}}", default(ExpectedAnswer));

    private static readonly Gen<(string Json, ExpectedAnswer Answer)> Response =
        from id in ValidId
        from payload in Gen.OneOf("\"result\":{}", "\"result\":{\"roots\":[]}", "\"error\":{\"code\":-32601,\"message\":\"no\"}")
        select ($"{{\"jsonrpc\":\"2.0\",\"id\":{id.Json},{payload}}}", default(ExpectedAnswer));

    /// <summary>An entry that is not a JSON-RPC message; its -32600 names the id where one can be read.</summary>
    private static readonly Gen<(string Json, ExpectedAnswer Answer)> Invalid = Gen.Frequency(
        (2, from id in ValidId select ($"{{\"id\":{id.Json},\"method\":\"ping\"}}", Rejected(id.Key))),
        (2, from id in ValidId from version in Gen.OneOf("\"1.0\"", "2.0", "null", "\"2.0 \"") select ($"{{\"jsonrpc\":{version},\"id\":{id.Json},\"method\":\"ping\"}}", Rejected(id.Key))),
        (2, from id in ValidId from method in Gen.OneOf("1", "null", "[]", "{}", "true") select ($"{{\"jsonrpc\":\"2.0\",\"id\":{id.Json},\"method\":{method}}}", Rejected(id.Key))),
        (2, from id in ValidId select ($"{{\"jsonrpc\":\"2.0\",\"id\":{id.Json}}}", Rejected(id.Key))),
        (3, from id in InvalidId select ($"{{\"jsonrpc\":\"2.0\",\"id\":{id},\"method\":\"tools/list\"}}", Rejected("null"))),
        (2, from id in ValidId from duplicate in DuplicateMember select ($"{{\"jsonrpc\":\"2.0\",\"id\":{id.Json},\"method\":\"tools/call\",\"params\":{duplicate}}}", Rejected(id.Key))),
        (2, from value in Gen.OneOf("1", "\"ping\"", "true", "null", "[]", "[{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\"}]") select (value, Rejected("null"))));

    private static readonly Gen<(string Json, ExpectedAnswer Answer)> Entry = Gen.Frequency(
        (6, Request), (2, Notification), (1, Response), (3, Invalid));

    private static readonly Gen<FuzzBody> Single =
        from entry in Entry.Where(e => !e.Json.StartsWith('['))
        from whitespace in Gen.OneOf("", " ", "\n\t ", "\r\n")
        select entry.Json.StartsWith('{') && entry.Answer is { Code: JsonRpcErrorCodes.InvalidRequest, Id: var id }
            ? new FuzzBody(JsonGenerators.Utf8(whitespace + entry.Json + whitespace), false, BodyVerdict.InvalidRequest, [], id!)
            : entry.Json.StartsWith('{')
                ? new FuzzBody(JsonGenerators.Utf8(whitespace + entry.Json + whitespace), false, BodyVerdict.Dispatched, [entry.Answer])
                : new FuzzBody(JsonGenerators.Utf8(entry.Json), false, BodyVerdict.InvalidRequest, []);

    private static readonly Gen<FuzzBody> Batch =
        Entry.Array[0, MaxBatchLength + 3].Select(entries =>
            new FuzzBody(JsonGenerators.Utf8("[" + string.Join(",", entries.Select(e => e.Json)) + "]"), true, BodyVerdict.Dispatched, [.. entries.Select(e => e.Answer)]));

    private static readonly Gen<FuzzBody> NotJsonRpc = Gen.Frequency(
        (2, Gen.OneOf("", " ", "\n").Select(s => FuzzBody.Raw(s, BodyVerdict.ParseError))),
        (3, Gen.OneOf("{", "}", "ping", "{\"jsonrpc\":\"2.0\",}", "[1,]", "'x'", "{jsonrpc:2}", "nul", "\"unterminated", "{\"a\":1}{\"b\":2}", "NaN", "0x10")
            .Select(s => FuzzBody.Raw(s, BodyVerdict.ParseError))),
        (2, JsonGenerators.Scalar.Select(v => FuzzBody.Raw(v?.ToJsonString() ?? "null", BodyVerdict.InvalidRequest))),
        (1, JsonGenerators.Object(1).Select(o => FuzzBody.Raw(o.ToJsonString(), BodyVerdict.InvalidRequest) with { RejectedId = ReadableIdKey(o) })),
        (1, Gen.Int[80, 5_000].Select(n => FuzzBody.Raw(JsonGenerators.Nested(n), BodyVerdict.ParseError))),
        (1, Gen.Byte.Array[1, 64].Select(b => FuzzBody.Raw(b, BodyVerdict.Unpredicted))));

    /// <summary>A valid body cut short, sent in another encoding, or carrying what the oracle cannot predict.</summary>
    private static readonly Gen<FuzzBody> Damaged = Gen.Frequency(
        (4, from body in Gen.OneOf(Single, Batch)
            from cut in Gen.Double[0, 1]
            let text = Encoding.UTF8.GetString(body.Bytes).Trim()
            where text.Length > 1 && text[^1] is '}' or ']'
            select FuzzBody.Raw(text[..(int)((text.Length - 1) * cut)], BodyVerdict.ParseError)),
        (2, Single.Select(body => FuzzBody.Raw(Encoding.Unicode.GetBytes(Encoding.UTF8.GetString(body.Bytes)), BodyVerdict.ParseError))),
        (1, Single.Select(body => FuzzBody.Raw([0xEF, 0xBB, 0xBF, .. body.Bytes], BodyVerdict.Unpredicted))),
        (2, Gen.OneOf("\\ud800", "\\udfff", "\\ud83d", "a\\u0000b").Select(s => FuzzBody.Raw($"{{\"jsonrpc\":\"2.0\",\"id\":\"{s}\",\"method\":\"{s}\",\"params\":{{\"{s}\":\"{s}\"}}}}", BodyVerdict.Unpredicted))),
        (1, Single.Select(body => FuzzBody.Raw([.. body.Bytes[..^1], 0xC3, 0x28, .. body.Bytes[^1..]], BodyVerdict.Unpredicted))));

    public static readonly Gen<FuzzBody> Body = Gen.Frequency((10, Single), (6, Batch), (3, NotJsonRpc), (3, Damaged));

    private static ExpectedAnswer Rejected(string idKey) => new(idKey, JsonRpcErrorCodes.InvalidRequest);

    private static int? ExpectedCode(string method, bool paramsObjectOrNull)
        => method.StartsWith(EchoMessageHandler.ErrorPrefix, StringComparison.Ordinal) ? JsonRpcErrorCodes.MethodNotFound
            : method == "initialize" && !paramsObjectOrNull ? JsonRpcErrorCodes.InvalidParams
            : null;

    /// <summary>The id a -32600 for an object that is no message names: its <c>id</c> member where that is a valid id (JSON-RPC: null only when it cannot be read).</summary>
    private static string ReadableIdKey(JsonObject o)
    {
        using var document = System.Text.Json.JsonDocument.Parse(o.ToJsonString());
        return document.RootElement.TryGetProperty("id", out var id) && IdKey(id) is var key && !key.StartsWith('?') ? key : "null";
    }

    /// <summary>The key an answer's id is compared by: <c>s:text</c>, <c>n:integer</c> or <c>null</c>.</summary>
    public static string IdKey(System.Text.Json.JsonElement id) => id.ValueKind switch
    {
        System.Text.Json.JsonValueKind.String => "s:" + id.GetString(),
        System.Text.Json.JsonValueKind.Number when id.TryGetInt64(out var n) => "n:" + n,
        System.Text.Json.JsonValueKind.Null => "null",
        _ => "?" + id.GetRawText(),
    };
}
