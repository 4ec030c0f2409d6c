using System.Net;
using System.Text;
using McpLambda.Runtime.Local;
using McpLambda.Runtime.RuntimeApi;

namespace McpLambda.Runtime.Tests.Local;

/// <summary>
/// The Runtime API emulation listens on loopback as local mode's endpoint does, and is guarded the same way: a web page
/// whose name re-resolves to 127.0.0.1 (DNS rebinding) or a page of another origin must neither read <c>next</c> (the
/// developer's request, its Authorization header included) nor post a response or an error in the function's place.
/// Refused requests cost the function nothing: its own client still gets the invocation and answers it.
/// </summary>
public sealed class RuntimeApiEmulatorGuardTests
{
    private const string Secret = "Bearer developer-token";
    private static readonly TimeSpan TestTimeout = TimeSpan.FromSeconds(20);

    public static TheoryData<string?, string?> ForeignCallers() => new()
    {
        { "rebound.example:{port}", null },
        { "rebound.example", null },
        { "127.0.0.1:1", null },
        { null, "https://attacker.example" },
        { null, "null" },
    };

    [Theory]
    [MemberData(nameof(ForeignCallers))]
    public async Task A_foreign_host_or_origin_cannot_read_the_next_invocation(string? host, string? origin)
    {
        await using var emulator = RuntimeApiEmulator.Start();
        using var timeout = new CancellationTokenSource(TestTimeout);
        var invoke = emulator.InvokeAsync(Event(), cancellationToken: timeout.Token);

        using var foreign = await SendAsync(emulator, HttpMethod.Get, "invocation/next", host, origin, timeout.Token);

        Assert.Equal(HttpStatusCode.Forbidden, foreign.StatusCode);
        Assert.DoesNotContain(Secret, await foreign.Content.ReadAsStringAsync(timeout.Token));
        using var client = new RuntimeApiClient(emulator.Address);
        var invocation = await client.NextAsync(timeout.Token);
        Assert.Contains(Secret, Encoding.UTF8.GetString(invocation.Event.Span));
        await client.PostResponseAsync(invocation.RequestId, "\"answered\""u8.ToArray(), timeout.Token);
        Assert.Equal("\"answered\"", Encoding.UTF8.GetString((await invoke).Payload));
    }

    [Theory]
    [MemberData(nameof(ForeignCallers))]
    public async Task A_foreign_host_or_origin_cannot_answer_or_fail_an_invocation(string? host, string? origin)
    {
        await using var emulator = RuntimeApiEmulator.Start();
        using var timeout = new CancellationTokenSource(TestTimeout);
        using var client = new RuntimeApiClient(emulator.Address);
        var invoke = emulator.InvokeAsync(Event(), cancellationToken: timeout.Token);
        var invocation = await client.NextAsync(timeout.Token);

        foreach (var route in new[] { $"invocation/{invocation.RequestId}/response", $"invocation/{invocation.RequestId}/error", "init/error" })
        {
            using var forged = await SendAsync(emulator, HttpMethod.Post, route, host, origin, timeout.Token);
            Assert.Equal(HttpStatusCode.Forbidden, forged.StatusCode);
        }

        Assert.False(emulator.InitError.IsCompleted);
        Assert.False(invoke.IsCompleted);
        await client.PostResponseAsync(invocation.RequestId, "\"answered\""u8.ToArray(), timeout.Token);
        var result = await invoke;
        Assert.Null(result.FunctionError);
        Assert.Equal("\"answered\"", Encoding.UTF8.GetString(result.Payload));
    }

    [Theory]
    [InlineData("localhost:{port}", null)]
    [InlineData("[::1]:{port}", null)]
    [InlineData(null, "http://localhost:6274")]
    public async Task Loopback_hosts_and_origins_are_served(string? host, string? origin)
    {
        await using var emulator = RuntimeApiEmulator.Start();
        using var timeout = new CancellationTokenSource(TestTimeout);
        _ = emulator.InvokeAsync(Event(), cancellationToken: timeout.Token);

        using var next = await SendAsync(emulator, HttpMethod.Get, "invocation/next", host, origin, timeout.Token);

        Assert.Equal(HttpStatusCode.OK, next.StatusCode);
    }

    private static byte[] Event()
        => Encoding.UTF8.GetBytes($$"""{"httpMethod":"POST","headers":{"Authorization":"{{Secret}}"},"body":"{}"}""");

    private static async Task<HttpResponseMessage> SendAsync(RuntimeApiEmulator emulator, HttpMethod method, string route, string? host, string? origin, CancellationToken cancellationToken)
    {
        using var http = new HttpClient();
        var port = emulator.Address.Split(':')[1];
        using var request = new HttpRequestMessage(method, $"http://{emulator.Address}/2018-06-01/runtime/{route}");
        if (method == HttpMethod.Post)
        {
            request.Content = new StringContent("""{"errorMessage":"forged","errorType":"Forged"}""", Encoding.UTF8, "text/plain");
        }

        if (host is not null)
        {
            request.Headers.Host = host.Replace("{port}", port, StringComparison.Ordinal);
        }

        if (origin is not null)
        {
            request.Headers.TryAddWithoutValidation("Origin", origin);
        }

        return await http.SendAsync(request, cancellationToken);
    }
}
