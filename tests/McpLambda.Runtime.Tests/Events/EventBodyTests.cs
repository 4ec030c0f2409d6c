using System.Text;
using System.Text.Json;
using McpLambda.Runtime.Events;

namespace McpLambda.Runtime.Tests.Events;

/// <summary>
/// A body in a response event: the size the response limit counts is the size the serialized event gives it, for text
/// that needs no escaping and for every kind the events' encoder escapes; and the bytes come back as they went.
/// </summary>
public sealed class EventBodyTests
{
    public static TheoryData<string> Bodies() =>
    [
        "",
        """{"jsonrpc":"2.0","id":1,"result":{"content":[{"type":"text","text":"plain"}]}}""",
        """{"text":"a \"quoted\" word and a \\ backslash, C:\\path"}""",
        "event: message\ndata: {\"id\":1}\r\n\n\t\b\f",
        "\u0001\u001f\u007f control and delete",
        "non-ASCII: é ß 日本語 😀 \u0085 \u00a0",
        "separators: \u2028 \u2029, a private-use \ue000 and a noncharacter \ufffe",
        "<script>&amp;'+`</script>",
    ];

    [Theory]
    [MemberData(nameof(Bodies))]
    public void The_size_counted_is_the_size_the_serialized_event_gives_the_body(string text)
    {
        var body = Encoding.UTF8.GetBytes(text);

        Assert.Equal(SerializedSize(body), EventBody.SizeOf(body));
    }

    [Fact]
    public void Generated_text_of_every_kind_is_counted_exactly()
    {
        string[] pieces = ["a", "\"", "\\", "\n", "\u0000", "\u001b", "é", "日", "😀", "\u2028", "\ud7ff", "\u0080", " "];
        for (var seed = 0; seed < 200; seed++)
        {
            var random = new Random(seed);
            var text = string.Concat(Enumerable.Range(0, random.Next(1, 300)).Select(_ => pieces[random.Next(pieces.Length)]));
            var body = Encoding.UTF8.GetBytes(text);

            Assert.True(SerializedSize(body) == EventBody.SizeOf(body), $"seed {seed}: {JsonSerializer.Serialize(text)}");
        }
    }

    [Theory]
    [MemberData(nameof(Bodies))]
    public void A_body_comes_back_from_the_event_as_the_bytes_that_went_in(string text)
    {
        var body = Encoding.UTF8.GetBytes(text);
        var json = JsonSerializer.SerializeToUtf8Bytes(new HttpApiResponse { StatusCode = 200, Body = new EventBody(body) }, HttpApiJsonContext.Events.HttpApiResponse);

        var back = JsonSerializer.Deserialize(json, HttpApiJsonContext.Events.HttpApiResponse)!;

        Assert.Equal(body, back.Body!.Value.Utf8.ToArray());
    }

    [Fact]
    public void A_body_that_is_not_a_string_is_refused_with_a_reason()
    {
        var refused = Assert.Throws<JsonException>(() => JsonSerializer.Deserialize("""{"statusCode":200,"body":{"x":1}}""", HttpApiJsonContext.Events.HttpApiResponse));

        Assert.Contains("must be a JSON string", refused.Message, StringComparison.Ordinal);
    }

    /// <summary>What the body adds to a serialized response event: the event with it, less the event without it and <c>,"body":</c>.</summary>
    private static long SerializedSize(byte[] body)
    {
        var with = JsonSerializer.SerializeToUtf8Bytes(new HttpApiResponse { StatusCode = 200, Body = new EventBody(body) }, HttpApiJsonContext.Events.HttpApiResponse);
        var without = JsonSerializer.SerializeToUtf8Bytes(new HttpApiResponse { StatusCode = 200 }, HttpApiJsonContext.Events.HttpApiResponse);
        return with.Length - without.Length - ",\"body\":".Length;
    }
}
