using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using CsCheck;

namespace McpLambda.Runtime.Tests.Fuzzing;

/// <summary>Generators of JSON values and strings as clients send them: every type, empty to large, nested, any script.</summary>
internal static class JsonGenerators
{
    /// <summary>Characters that tend to break encoders: quotes, escapes, controls, NUL, line separators, astral planes.</summary>
    private static readonly string[] Awkward = ["\"", "\\", "/", "\n", "\r", "\t", "\0", "\u0001", "\u001f", "\u2028", "é", "中", "😀", "𝄞", "\uFEFF", "<", "&", "'", " "];

    public static readonly Gen<string> Text = Gen.Frequency(
        (6, Gen.Char["abcdefghijklmnopqrstuvwxyz0123456789-_/.:"].Array[0, 24].Select(a => new string(a))),
        (3, Gen.OneOf(Awkward).Array[1, 12].Select(string.Concat)),
        (1, Gen.Int[1_000, 20_000].Select(n => new string('x', n))));

    /// <summary>A JSON number as text: integers of every size, fractions, exponents.</summary>
    public static readonly Gen<string> NumberText = Gen.Frequency(
        (4, Gen.Long.Select(n => n.ToString(System.Globalization.CultureInfo.InvariantCulture))),
        (1, Gen.OneOf("0", "-0", "1.5", "-2.25e3", "1e300", "18446744073709551616", "-9223372036854775809", "1E-7", "9223372036854775807", "-9223372036854775808")));

    public static readonly Gen<JsonNode?> Scalar = Gen.Frequency<JsonNode?>(
        (3, Text.Select(s => (JsonNode?)JsonValue.Create(s))),
        (2, NumberText.Select(n => JsonNode.Parse(n))),
        (1, Gen.Bool.Select(b => (JsonNode?)JsonValue.Create(b))),
        (1, Gen.Const<JsonNode?>(() => null)));

    /// <summary>Any JSON value up to <paramref name="depth"/> levels of arrays and objects.</summary>
    public static Gen<JsonNode?> Value(int depth) => depth <= 0
        ? Scalar
        : Gen.Frequency(
            (4, Scalar),
            (1, Value(depth - 1).Array[0, 4].Select(items => (JsonNode?)new JsonArray(items))),
            (1, Object(depth - 1).Select(o => (JsonNode?)o)));

    public static Gen<JsonObject> Object(int depth)
        => Gen.Select(Text, Value(depth)).Array[0, 4].Select(pairs =>
        {
            var o = new JsonObject();
            foreach (var (key, value) in pairs)
            {
                o[key] = value;
            }

            return o;
        });

    /// <summary>An array nested <paramref name="levels"/> deep, as raw JSON text.</summary>
    public static string Nested(int levels) => new string('[', levels) + new string(']', levels);

    public static string Quote(string s) => JsonSerializer.Serialize(s);

    public static byte[] Utf8(string s) => Encoding.UTF8.GetBytes(s);
}
