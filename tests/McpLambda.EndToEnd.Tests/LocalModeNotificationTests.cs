using System.Text;
using McpLambda.Tests;

namespace McpLambda.EndToEnd.Tests;

/// <summary>
/// A tool's progress goes out on the SSE answer of its call, before the answer (buffered: all of it arrives with the
/// answer); a client that takes only JSON gets the answer alone. (The TypeScript SDK client's view: ForeignClientTests.)
/// </summary>
public sealed class LocalModeNotificationTests : IAsyncLifetime
{
    private const string LongRunningCall = """
        {"jsonrpc":"2.0","id":"slow","method":"tools/call","params":{"name":"trigger-long-running-operation","arguments":{"duration":0.3,"steps":3},"_meta":{"progressToken":"p1"}}}
        """;

    private SampleFunction _function = null!;
    private Uri _url = null!;

    public async Task InitializeAsync() => (_function, _url) = await SampleFunction.StartLocalAsync("EverythingFunction");

    public async Task DisposeAsync() => await _function.DisposeAsync();

    [Fact]
    public async Task The_answer_is_an_event_stream_with_the_progress_first_when_the_client_takes_one()
    {
        var (contentType, body) = await PostAsync("application/json, text/event-stream");

        Assert.Equal("text/event-stream", contentType);
        var events = body.Split("\n\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(4, events.Length);
        Assert.All(events.Take(3), e => Assert.Contains("\"method\":\"notifications/progress\"", e));
        Assert.All(events.Take(3), e => Assert.Contains("\"progressToken\":\"p1\"", e));
        Assert.Contains("\"id\":\"slow\"", events[3]);
        Assert.All(events, e => Assert.StartsWith("event: message\ndata: {", e));
    }

    [Fact]
    public async Task A_client_that_takes_only_JSON_gets_the_answer_alone()
    {
        var (contentType, body) = await PostAsync("application/json");

        Assert.Equal("application/json", contentType);
        Assert.StartsWith("{", body);
        Assert.DoesNotContain("notifications/progress", body);
        Assert.Contains("Steps: 3", body);
    }

    private async Task<(string? ContentType, string Body)> PostAsync(string accept)
    {
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, _url) { Content = new StringContent(LongRunningCall, Encoding.UTF8, "application/json") };
        request.Headers.Accept.Clear();
        request.Headers.TryAddWithoutValidation("Accept", accept);
        using var response = await http.SendAsync(request);
        return (response.Content.Headers.ContentType?.MediaType, await response.Content.ReadAsStringAsync());
    }
}
