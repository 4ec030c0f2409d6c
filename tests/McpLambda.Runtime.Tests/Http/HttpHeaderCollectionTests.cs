using McpLambda.Runtime.Http;

namespace McpLambda.Runtime.Tests.Http;

public sealed class HttpHeaderCollectionTests
{
    [Fact]
    public void Names_are_matched_case_insensitively()
    {
        var headers = new HttpHeaderCollection();
        headers.Add("content-type", "application/json");

        Assert.True(headers.Contains("Content-Type"));
        Assert.True(headers.Contains("CONTENT-TYPE"));
        Assert.Equal("application/json", headers["Content-Type"]);
        Assert.Equal(["application/json"], headers.GetValues("CoNtEnT-tYpE"));
    }

    [Fact]
    public void Repeated_values_are_kept_in_order_and_combined_with_commas()
    {
        var headers = new HttpHeaderCollection();
        headers.Add("Accept", "application/json");
        headers.Add("ACCEPT", "text/event-stream");

        Assert.Equal(1, headers.Count);
        Assert.Equal(["application/json", "text/event-stream"], headers.GetValues("accept"));
        Assert.Equal("application/json, text/event-stream", headers["Accept"]);
    }

    [Fact]
    public void Set_replaces_every_value()
    {
        var headers = new HttpHeaderCollection();
        headers.Add("Vary", "Accept");
        headers.Add("Vary", "Accept-Encoding");

        headers.Set("vary", "Origin");

        Assert.Equal(["Origin"], headers.GetValues("Vary"));
        Assert.Equal(1, headers.Count);
    }

    [Fact]
    public void Absent_names_give_null_and_no_values()
    {
        var headers = new HttpHeaderCollection();

        Assert.False(headers.Contains("Origin"));
        Assert.Null(headers["Origin"]);
        Assert.Empty(headers.GetValues("Origin"));
        Assert.Equal(0, headers.Count);
    }

    [Fact]
    public void Enumeration_yields_each_name_once_with_all_its_values()
    {
        var headers = new HttpHeaderCollection();
        headers.Add("A", "1");
        headers.Add("b", "2");
        headers.Add("a", "3");

        var all = headers.ToDictionary(kv => kv.Key, kv => kv.Value, StringComparer.OrdinalIgnoreCase);

        Assert.Equal(2, all.Count);
        Assert.Equal(["1", "3"], all["a"]);
        Assert.Equal(["2"], all["B"]);
    }
}
