using System.Text.Json.Nodes;
using McpLambda.Runtime.Bridge;
using McpLambda.Runtime.JsonRpc;
using McpLambda.Runtime.Protocol;
using ModelContextProtocol.Protocol;

namespace McpLambda.Runtime.Tests.Bridge;

/// <summary>
/// SEP-2243's mirrored tool arguments: which arguments a tool's input schema binds to <c>Mcp-Param-*</c> headers, and
/// whether a call's headers mirror its arguments (plain or <c>=?base64?…?=</c>, a missing header, bad characters).
/// </summary>
public sealed class ToolHeaderParameterTests
{
    private static readonly JsonObject Schema = JsonNode.Parse("""
        {
          "type": "object",
          "properties": {
            "region": { "type": "string", "x-mcp-header": "Region" },
            "limit": { "type": "integer", "x-mcp-header": "Limit" },
            "dryRun": { "type": "boolean", "x-mcp-header": "Dry-Run" },
            "target": { "type": "object", "properties": { "zone": { "type": "string", "x-mcp-header": "Zone" } } },
            "tags": { "type": "array", "items": { "type": "string", "x-mcp-header": "Tag" } },
            "either": { "anyOf": [{ "type": "string", "x-mcp-header": "Either" }] },
            "spaced": { "type": "string", "x-mcp-header": "Not A Token" },
            "query": { "type": "string" }
          }
        }
        """)!.AsObject();

    private static readonly IReadOnlyList<ToolHeaderParameter> Parameters = ToolHeaderParameter.Of(Schema);

    [Fact]
    public void Only_annotations_reached_through_properties_with_a_token_name_bind_a_header()
    {
        Assert.Equal(["Region", "Limit", "Dry-Run", "Zone"], Parameters.Select(p => p.Header));
        Assert.Equal(["target", "zone"], Parameters.Single(p => p.Header == "Zone").Path);
    }

    [Theory]
    [InlineData("us-west1", "us-west1")]
    [InlineData("Hello", "=?base64?SGVsbG8=?=")]
    [InlineData("Hello, 世界", "=?base64?SGVsbG8sIOS4lueVjA==?=")]
    [InlineData(" padded ", "=?base64?IHBhZGRlZCA=?=")]
    [InlineData("SGVsbG8=", "SGVsbG8=")] // no sentinel: literal
    [InlineData("=?base64?SGVsbG8=", "=?base64?SGVsbG8=")] // prefix without suffix: literal
    [InlineData("us-west1", "  us-west1\t")] // optional whitespace around a field value is not the value's
    public void A_header_that_decodes_to_the_argument_mirrors_it(string argument, string header)
        => Assert.Null(Check(new JsonObject { ["region"] = argument }, ("region", header)));

    [Theory]
    [InlineData("Hello", "=?base64?SGVsbG8?=")] // missing padding
    [InlineData("Hello", "=?base64?SGVs!!!bG8=?=")] // outside the alphabet
    [InlineData("Hello", "=?base64?/w==?=")] // not UTF-8
    [InlineData("Hello", "Hel\u00e9lo")] // not a header value's character
    [InlineData("Hello", "hello")] // values are case-sensitive
    public void A_header_that_does_not_decode_to_the_argument_is_a_header_mismatch(string argument, string header)
    {
        var error = Check(new JsonObject { ["region"] = argument }, ("region", header));

        Assert.NotNull(error);
        Assert.Equal(JsonRpcErrorCodes.HeaderMismatch, error.Error.Code);
        Assert.Equal(new RequestId(7), error.Id);
        Assert.Contains("Mcp-Param-Region", error.Error.Message);
        Assert.Equal(400, error.ExplicitHttpStatus());
    }

    [Fact]
    public void An_argument_in_the_body_without_its_header_is_a_header_mismatch_and_an_absent_or_null_one_needs_none()
    {
        var missing = Check(new JsonObject { ["region"] = "us-west1", ["target"] = new JsonObject { ["zone"] = "b" } }, ("region", "us-west1"));

        Assert.Equal(JsonRpcErrorCodes.HeaderMismatch, missing!.Error.Code);
        Assert.Contains("Mcp-Param-Zone", missing.Error.Message);
        Assert.Null(Check(new JsonObject { ["region"] = null, ["query"] = "select 1" }));
    }

    [Theory]
    [InlineData(42, "42", true)]
    [InlineData(42, "42.0", true)] // compared as numbers
    [InlineData(-7, "-7", true)]
    [InlineData(42, "43", false)]
    [InlineData(42, "forty-two", false)]
    public void An_integer_is_mirrored_in_decimal(int limit, string header, bool mirrors)
        => Assert.Equal(mirrors, Check(new JsonObject { ["limit"] = limit }, ("limit", header)) is null);

    [Theory]
    [InlineData(true, "true", true)]
    [InlineData(false, "false", true)]
    [InlineData(true, "True", false)]
    [InlineData(false, "0", false)]
    public void A_boolean_is_mirrored_in_lower_case(bool dryRun, string header, bool mirrors)
        => Assert.Equal(mirrors, Check(new JsonObject { ["dryRun"] = dryRun }, ("dry-run", header)) is null);

    [Fact]
    public void An_argument_no_header_can_mirror_never_matches()
        => Assert.NotNull(Check(new JsonObject { ["region"] = new JsonArray("a") }, ("region", "a")));

    /// <summary>Checks <paramref name="arguments"/> against headers named after the argument's header (any case).</summary>
    private static JsonRpcError? Check(JsonObject arguments, params (string Argument, string Value)[] headers)
    {
        var byName = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (argument, value) in headers)
        {
            byName[Parameters.Single(p => string.Equals(p.Path[^1], argument, StringComparison.OrdinalIgnoreCase) || string.Equals(p.Header, argument, StringComparison.OrdinalIgnoreCase)).Header.ToUpperInvariant()] = value;
        }

        return ToolHeaderParameter.Mismatch(new RequestId(7), Parameters, arguments, byName);
    }
}
