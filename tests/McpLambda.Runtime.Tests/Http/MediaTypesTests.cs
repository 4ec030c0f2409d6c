using McpLambda.Runtime.Http;

namespace McpLambda.Runtime.Tests.Http;

public sealed class MediaTypesTests
{
    [Theory]
    [InlineData("application/json", true)]
    [InlineData("application/json; charset=utf-8", true)]
    [InlineData("Application/JSON;charset=UTF-8", true)]
    [InlineData("  application/json  ", true)]
    [InlineData("application/json-patch+json", false)]
    [InlineData("application/jsonx", false)]
    [InlineData("text/json", false)]
    [InlineData("text/plain", false)]
    [InlineData("", false)]
    [InlineData(null, false)]
    public void IsType_compares_the_type_and_ignores_parameters(string? contentType, bool expected)
        => Assert.Equal(expected, MediaTypes.IsType(contentType, MediaTypes.Json));

    [Theory]
    [InlineData(null, true)]
    [InlineData("", true)]
    [InlineData("   ", true)]
    [InlineData("application/json", true)]
    [InlineData("APPLICATION/JSON", true)]
    [InlineData("application/json, text/event-stream", true)]
    [InlineData("text/event-stream, application/json;q=0.5", true)]
    [InlineData("*/*", true)]
    [InlineData("application/*", true)]
    [InlineData("text/*", false)]
    [InlineData("text/event-stream", false)]
    [InlineData("text/html, application/xhtml+xml", false)]
    [InlineData("application/json;q=0", false)]
    [InlineData("application/json; q=0.0", false)]
    [InlineData("application/json;q=0.000, text/event-stream", false)]
    [InlineData("application/json;q=0.001", true)]
    [InlineData("application/*;q=0", false)]
    [InlineData("*/*;q=0", false)]
    public void Accepts_json(string? accept, bool expected)
        => Assert.Equal(expected, MediaTypes.Accepts(accept, MediaTypes.Json));

    [Theory]
    [InlineData("text/event-stream", true)]
    [InlineData("text/*", true)]
    [InlineData("application/json", false)]
    [InlineData("application/*, text/event-stream;q=0", false)]
    [InlineData("text/event-stream;q=0.9", true)]
    public void Accepts_event_stream(string accept, bool expected)
        => Assert.Equal(expected, MediaTypes.Accepts(accept, MediaTypes.EventStream));

    [Theory]
    // RFC 9110 12.5.1: the most specific range that matches decides; q=0 on it is a refusal whatever wildcards say.
    [InlineData("application/json;q=0, */*")]
    [InlineData("*/*, application/json;q=0")]
    [InlineData("application/json;q=0, application/*")]
    [InlineData("application/*;q=0, */*")]
    public void A_specific_refusal_wins_over_a_wildcard(string accept)
        => Assert.False(MediaTypes.Accepts(accept, MediaTypes.Json));

    [Theory]
    [InlineData("*/*;q=0, application/json")]
    [InlineData("application/*;q=0, application/json;q=0.1")]
    public void A_specific_acceptance_wins_over_a_wildcard_refusal(string accept)
        => Assert.True(MediaTypes.Accepts(accept, MediaTypes.Json));
}
