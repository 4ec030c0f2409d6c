using McpLambda.Runtime.Authorization;
using McpLambda.Runtime.Configuration;
using McpLambda.Runtime.EventAdapters;
using McpLambda.Runtime.Http;
using McpLambda.Runtime.Tests.Authorization;
using McpLambda.Runtime.Tests.Support;
using ModelContextProtocol.Protocol;
using McpLambda.Runtime.JsonRpc;
using McpLambda.Runtime.Invocations;

namespace McpLambda.Runtime.Tests.Http;

/// <summary>
/// A request's query string reaches the function whole from every HTTP way in: read off the wire in local mode, carried
/// raw by payload 2.0 events, and written again from the parameters a REST event carries decoded.
/// </summary>
public sealed class QueryStringTests
{
    private const string State = "a b+c&d=e/%é";

    public static TheoryData<string> WaysIn => ["API Gateway REST", "HTTP API", "function URL"];

    [Fact]
    public void Form_fields_decode_plus_and_escapes_keep_repeats_and_encode_back()
    {
        var fields = FormFields.Parse("a=1&b=x+y%2Bz&a=2&empty=&flag");

        Assert.Equal("1", fields["a"]);
        Assert.Equal(["1", "2"], fields.All("a"));
        Assert.Equal("x y+z", fields["b"]);
        Assert.Equal("", fields["empty"]);
        Assert.Equal("", fields["flag"]);
        Assert.Null(fields["missing"]);
        Assert.Equal("a", fields.RepeatedName());
        Assert.Null(fields.RepeatedName("a"));
        Assert.Equal("x=x%20y%2Bz", FormFields.Encode([new("x", "x y+z"), new("skipped", null)]));
        Assert.Equal("half=%EF%BF%BD", FormFields.Encode([new("half", "\ud800")])); // half a surrogate pair, as an event may carry
        Assert.Equal("https://as.example/authorize?tenant=1&b=2", FormFields.AppendTo("https://as.example/authorize?tenant=1", [new("b", "2"), new("none", null)]));
    }

    [Fact]
    public async Task Local_mode_reads_the_query_off_the_request_line()
    {
        var wire = "GET /oauth/callback?code=c&state=s%20t HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"u8.ToArray();

        var request = await new HttpMessageReader(new MemoryStream(wire), 1024, Timeout.InfiniteTimeSpan).ReadRequestAsync(CancellationToken.None);

        Assert.Equal("/oauth/callback", request!.Path);
        Assert.Equal("code=c&state=s%20t", request.Query);
    }

    [Theory]
    [MemberData(nameof(WaysIn))]
    public async Task Each_way_in_carries_the_query_to_the_function(string wayIn)
    {
        LambdaEventAdapter adapter = wayIn switch
        {
            "API Gateway REST" => ApiGatewayRestEventAdapter.Instance,
            "HTTP API" => HttpApiEventAdapter.Instance,
            _ => FunctionUrlEventAdapter.Instance,
        };
        var headers = new HttpHeaderCollection();
        headers.Set("Host", "fn.example");
        headers.Set("X-Forwarded-Proto", "https");

        // The facade echoes the client's state when it refuses a request: here an implicit flow, which it never runs.
        var query = FormFields.Encode(
        [
            new("client_id", "facade-client"),
            new("redirect_uri", "http://127.0.0.1:5000/callback"),
            new("response_type", "token"),
            new("state", State),
        ]);
        var request = new BufferedHttpRequest("GET", "/oauth/authorize", headers, ReadOnlyMemory<byte>.Empty) { Query = query };
        var payload = adapter.CreateLocalEvent(request, out _);
        var answer = adapter.ReadLocalResponse(await adapter.HandleAsync(EventFixtures.Invocation(payload), Handlers(), CancellationToken.None));

        Assert.Equal(302, answer.StatusCode);
        var location = new Uri(answer.Headers["Location"]!);
        Assert.Equal("http://127.0.0.1:5000/callback", location.GetLeftPart(UriPartial.Path));
        Assert.Equal(State, FormFields.Parse(location.Query.TrimStart('?'))["state"]);
    }

    private static McpHandlers Handlers()
    {
        var oauth = TestIssuer.Settings() with { Facade = new RegistrationFacadeSettings { ClientId = "facade-client", Key = new byte[FlowSeal.KeyBytes] } };
        return new McpHandlers(new NoServer(), McpLambdaSettings.Default with { OAuth = oauth });
    }

    private sealed class NoServer : IMcpMessageHandler
    {
        public ValueTask<JsonRpcMessage?> HandleAsync(JsonRpcMessage message, IClientMessageSink? client, InvocationContext invocation)
            => ValueTask.FromResult<JsonRpcMessage?>(null);
    }
}
