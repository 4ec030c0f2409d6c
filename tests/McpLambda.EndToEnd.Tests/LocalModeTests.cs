using McpLambda.Tests;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;

namespace McpLambda.EndToEnd.Tests;

/// <summary>The sample started as a user starts it (local mode), driven by the C# SDK's own client over Streamable HTTP.</summary>
public sealed class LocalModeTests : IAsyncLifetime
{
    private SampleFunction _function = null!;
    private Uri _url = null!;

    public async Task InitializeAsync() => (_function, _url) = await SampleFunction.StartLocalAsync("EverythingFunction");

    public async Task DisposeAsync() => await _function.DisposeAsync();

    [Fact]
    public async Task McpClient_initializes_lists_and_calls_tools_through_local_mode()
    {
        await using var client = await ConnectAsync();

        Assert.Equal("mcp-servers/everything", client.ServerInfo?.Name);
        Assert.NotNull(client.ServerCapabilities?.Tools);

        var tools = await client.ListToolsAsync();
        Assert.Contains(tools, t => t.Name == "echo");
        Assert.Contains(tools, t => t.Name == "get-sum");

        var echo = await client.CallToolAsync("echo", new Dictionary<string, object?> { ["message"] = "through Lambda" });
        Assert.Equal("Echo: through Lambda", Assert.IsType<TextContentBlock>(Assert.Single(echo.Content)).Text);

        var sum = await client.CallToolAsync("get-sum", new Dictionary<string, object?> { ["a"] = 19, ["b"] = 23 });
        Assert.Contains("42", Assert.IsType<TextContentBlock>(Assert.Single(sum.Content)).Text);

        var resources = await client.ListResourcesAsync();
        Assert.Contains(resources, r => r.Uri.StartsWith("demo://resource/", StringComparison.Ordinal));

        var prompts = await client.ListPromptsAsync();
        Assert.Contains(prompts, p => p.Name == "simple-prompt");
    }

    [Fact]
    public async Task A_tool_error_from_the_server_reaches_the_client_as_the_server_sent_it()
    {
        await using var client = await ConnectAsync();

        var result = await client.CallToolAsync("no-such-tool", new Dictionary<string, object?>());
        Assert.True(result.IsError);
        Assert.Contains("no-such-tool", Assert.IsType<TextContentBlock>(Assert.Single(result.Content)).Text);
    }

    [Fact]
    public async Task Several_clients_share_the_warm_server_without_mixing_answers()
    {
        var clients = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => ConnectAsync()));
        try
        {
            var calls = clients.SelectMany((client, c) => Enumerable.Range(0, 10).Select(async i =>
            {
                var text = $"client {c} call {i}";
                var result = await client.CallToolAsync("echo", new Dictionary<string, object?> { ["message"] = text });
                return (text, answer: ((TextContentBlock)result.Content[0]).Text);
            }));

            foreach (var (text, answer) in await Task.WhenAll(calls))
            {
                Assert.Equal("Echo: " + text, answer);
            }

            Assert.Equal(1, CountServerStarts(_function.Output));
        }
        finally
        {
            foreach (var client in clients)
            {
                await client.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task A_port_in_use_or_a_bad_port_is_refused_with_a_clear_message()
    {
        var taken = _url.Port.ToString(System.Globalization.CultureInfo.InvariantCulture);

        var (busyCode, busyOutput) = await SampleFunction.RunToExitAsync("EverythingFunction", "--port", taken);
        var (badCode, badOutput) = await SampleFunction.RunToExitAsync("EverythingFunction", "--port", "eighty");

        Assert.Equal(2, busyCode);
        Assert.Contains($"Cannot serve on 127.0.0.1:{taken}", busyOutput);
        Assert.DoesNotContain("   at ", busyOutput);
        Assert.Equal(2, badCode);
        Assert.Contains("Invalid port 'eighty'", badOutput);
    }

    private Task<McpClient> ConnectAsync() => McpClient.CreateAsync(
        new HttpClientTransport(new HttpClientTransportOptions { Endpoint = _url, TransportMode = HttpTransportMode.StreamableHttp }));

    private static int CountServerStarts(string output)
        => output.Split('\n').Count(line => line.Contains("Starting default (STDIO) server", StringComparison.Ordinal));
}
