using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using McpLambda.Runtime.Authorization;
using McpLambda.Runtime.Configuration;
using McpLambda.Runtime.EventAdapters;
using McpLambda.Tests;
using Microsoft.IdentityModel.Tokens;
using ModelContextProtocol.Authentication;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;

namespace McpLambda.EndToEnd.Tests;

/// <summary>
/// The function as an OAuth resource server with a real authorization server (oidc-provider) and real OAuth clients:
/// from the 401 challenge through metadata, registration, PKCE authorization and the token for this resource, to tool
/// calls, with the real runtime loop behind the Runtime API emulation, for each HTTP way in: a function URL and an HTTP
/// API (local mode's front door with their events) and a REST API as the template deploys it (<see cref="RestApiGateway"/>:
/// the stage, the gateway's challenge from the template's gateway response, the integration's challenge renamed).
/// </summary>
public sealed class OAuthTests
{
    public static TheoryData<string> WaysIn => ["function URL", "HTTP API", "REST API"];

    [Theory]
    [MemberData(nameof(WaysIn))]
    public async Task The_TypeScript_SDK_client_registers_authorizes_and_calls_tools_with_a_token_for_this_resource(string wayIn)
    {
        await using var authorizationServer = await AuthorizationServer.StartAsync();
        await using var function = await StartAsync(authorizationServer, wayIn);

        var output = JsonNode.Parse(await NodeScript.ReportAsync("oauth-client.mjs", function.Url.ToString()))!;

        var challenge = output["challenges"]![0]!;
        Assert.Equal(401, challenge["status"]!.GetValue<int>());
        Assert.Equal(ExpectedChallenge(function), challenge["challenge"]!.GetValue<string>());
        Assert.NotNull(output["registered"]?.GetValue<string>());
        Assert.Contains("resource=" + Uri.EscapeDataString(function.Url.ToString()), output["authorizationUrl"]!.GetValue<string>());
        Assert.Contains("echo", output["tools"]!.AsArray().Select(t => t!.GetValue<string>()));
        Assert.Equal("Echo: with a token", output["echo"]!.GetValue<string>());

        var claims = JsonNode.Parse(Base64UrlEncoder.Decode(output["token"]!.GetValue<string>().Split('.')[1]))!;
        Assert.Equal(function.Url.ToString(), claims["aud"]!.GetValue<string>());
        Assert.Equal(authorizationServer.Issuer, claims["iss"]!.GetValue<string>());
        Assert.Contains("mcp:tools", claims["scope"]!.GetValue<string>());
    }

    [Theory]
    [MemberData(nameof(WaysIn))]
    public async Task The_CSharp_SDK_client_registers_authorizes_and_calls_tools(string wayIn)
    {
        await using var authorizationServer = await AuthorizationServer.StartAsync();
        await using var function = await StartAsync(authorizationServer, wayIn);
        var challenges = new List<(HttpStatusCode Status, string? Challenge)>();
        var transport = new HttpClientTransport(
            new HttpClientTransportOptions
            {
                Endpoint = function.Url,
                TransportMode = HttpTransportMode.StreamableHttp,
                OAuth = new ClientOAuthOptions
                {
                    RedirectUri = new Uri($"http://127.0.0.1:{Random.Shared.Next(20000, 40000)}/callback"),
                    DynamicClientRegistration = new DynamicClientRegistrationOptions { ClientName = "mcplambda csharp oauth test" },
                    AuthorizationCallbackHandler = (context, cancellationToken) => Browser.FollowAsync(context.AuthorizationUri, context.RedirectUri, cancellationToken),
                },
            },
            new HttpClient(new ChallengeRecorder(challenges)));

        await using var client = await McpClient.CreateAsync(transport);
        var tools = await client.ListToolsAsync();
        var echo = await client.CallToolAsync("echo", new Dictionary<string, object?> { ["message"] = "from C# with a token" });

        Assert.Equal((HttpStatusCode.Unauthorized, ExpectedChallenge(function)), challenges[0]);
        Assert.Contains(tools, t => t.Name == "echo");
        Assert.Equal("Echo: from C# with a token", Assert.IsType<TextContentBlock>(echo.Content[0]).Text);
    }

    [Fact]
    public async Task Behind_a_rest_api_the_gateway_gives_the_challenge_and_the_functions_own_arrives_renamed()
    {
        await using var authorizationServer = await AuthorizationServer.StartAsync();
        await using var function = await StartAsync(authorizationServer, "REST API");
        using var http = new HttpClient();
        var initialize = """{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-11-25","capabilities":{},"clientInfo":{"name":"t","version":"1"}}}""";

        // No token: the request validation refuses it, and the template's gateway response makes that the challenge.
        using var missing = await http.PostAsync(function.Url, new StringContent(initialize, Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.Unauthorized, missing.StatusCode);
        Assert.Equal(function.RestApi!.Response("BAD_REQUEST_PARAMETERS").Headers["WWW-Authenticate"], string.Join(", ", missing.Headers.WwwAuthenticate));
        Assert.Contains("Missing required request parameters: [Authorization]", await missing.Content.ReadAsStringAsync());

        // A bad token passes the gateway: the function refuses it, and its challenge loses its name on the way out.
        using var request = new HttpRequestMessage(HttpMethod.Post, function.Url) { Content = new StringContent(initialize, Encoding.UTF8, "application/json") };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", "not-a-token");
        request.Headers.Accept.ParseAdd("application/json, text/event-stream");
        using var invalid = await http.SendAsync(request);
        Assert.Equal(HttpStatusCode.Unauthorized, invalid.StatusCode);
        Assert.Empty(invalid.Headers.WwwAuthenticate);
        Assert.StartsWith(ExpectedChallenge(function) + ", error=\"invalid_token\"", Assert.Single(invalid.Headers.GetValues("x-amzn-remapped-www-authenticate")));

        // The metadata is outside the endpoint's validation, and names the endpoint with its stage.
        var metadata = JsonNode.Parse(await http.GetStringAsync(new Uri(function.Url, "/prod/.well-known/oauth-protected-resource/mcp")))!;
        Assert.Equal(function.Url.ToString(), metadata["resource"]!.GetValue<string>());
        Assert.Equal(authorizationServer.Issuer, metadata["authorization_servers"]![0]!.GetValue<string>());

        // Outside the template's routes the gateway answers itself.
        using var elsewhere = await http.GetAsync(new Uri(function.Url, "/prod/oauth/register"));
        Assert.Equal(HttpStatusCode.Forbidden, elsewhere.StatusCode);
        Assert.Contains("Missing Authentication Token", await elsewhere.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Through_the_registration_facade_the_TypeScript_SDK_client_registers_with_the_function_and_signs_in_at_a_provider_without_registration()
    {
        await using var facade = await FacadeDeployment.StartAsync();

        var output = JsonNode.Parse(await NodeScript.ReportAsync("oauth-client.mjs", facade.Function.Url.ToString()))!;

        Assert.Equal(FacadeDeployment.ClientId, output["registered"]!.GetValue<string>());
        Assert.StartsWith(facade.Base + "/oauth/authorize?", output["authorizationUrl"]!.GetValue<string>());
        Assert.Contains("echo", output["tools"]!.AsArray().Select(t => t!.GetValue<string>()));
        Assert.Equal("Echo: with a token", output["echo"]!.GetValue<string>());

        // The token is the provider's own, issued to the facade's client for this resource.
        var claims = JsonNode.Parse(Base64UrlEncoder.Decode(output["token"]!.GetValue<string>().Split('.')[1]))!;
        Assert.Equal(facade.Provider.Issuer, claims["iss"]!.GetValue<string>());
        Assert.Equal(FacadeDeployment.ClientId, claims["client_id"]!.GetValue<string>());
        Assert.Equal(facade.Function.Url.ToString(), claims["aud"]!.GetValue<string>());
    }

    [Fact]
    public async Task Through_the_registration_facade_the_CSharp_SDK_client_registers_signs_in_and_calls_tools()
    {
        await using var facade = await FacadeDeployment.StartAsync();
        var transport = new HttpClientTransport(new HttpClientTransportOptions
        {
            Endpoint = facade.Function.Url,
            TransportMode = HttpTransportMode.StreamableHttp,
            OAuth = new ClientOAuthOptions
            {
                RedirectUri = new Uri($"http://127.0.0.1:{Random.Shared.Next(20000, 40000)}/callback"),
                DynamicClientRegistration = new DynamicClientRegistrationOptions
                {
                    ClientName = "mcplambda csharp facade test",
                    ResponseDelegate = (registration, _) =>
                    {
                        Assert.Equal(FacadeDeployment.ClientId, registration.ClientId);
                        return Task.CompletedTask;
                    },
                },
                AuthorizationCallbackHandler = (context, cancellationToken) => Browser.FollowAsync(context.AuthorizationUri, context.RedirectUri, cancellationToken),
            },
        });

        await using var client = await McpClient.CreateAsync(transport);
        var echo = await client.CallToolAsync("echo", new Dictionary<string, object?> { ["message"] = "through the facade" });

        Assert.Equal("Echo: through the facade", Assert.IsType<TextContentBlock>(echo.Content[0]).Text);
    }

    /// <summary>
    /// The function requiring the authorization server's tokens with <c>mcp:tools</c> (the template's default scopes),
    /// behind <paramref name="wayIn"/>; the REST API is the one <c>dotnet new mcp-lambda --auth oauth</c> makes.
    /// </summary>
    private static async Task<InProcessLocalFunction> StartAsync(AuthorizationServer authorizationServer, string wayIn)
    {
        var settings = McpLambdaSettings.Default with { OAuth = new OAuthSettings { Issuer = authorizationServer.Issuer, Scopes = ["mcp:tools"] } };
        return wayIn switch
        {
            "REST API" => await InProcessLocalFunction.StartAsync(
                TestRepository.EverythingServer(), TimeSpan.FromSeconds(30), settings: settings,
                restApiTemplate: await TemplateProject.TemplateYamlAsync("--transport", "ApiGateway", "--auth", "oauth", "--streaming", "false")),
            _ => await InProcessLocalFunction.StartAsync(
                TestRepository.EverythingServer(), TimeSpan.FromSeconds(30), settings: settings,
                adapter: wayIn == "HTTP API" ? HttpApiEventAdapter.Instance : FunctionUrlEventAdapter.Instance),
        };
    }

    /// <summary>The challenge without a token: behind a REST API the template's gateway response, elsewhere the function's.</summary>
    private static string ExpectedChallenge(InProcessLocalFunction function)
    {
        var expected = $"Bearer resource_metadata=\"{new Uri(function.Url.ToString().Replace("/mcp", "/.well-known/oauth-protected-resource/mcp", StringComparison.Ordinal))}\", scope=\"mcp:tools\"";
        if (function.RestApi is { } api)
        {
            Assert.Equal(expected, api.Response("BAD_REQUEST_PARAMETERS").Headers["WWW-Authenticate"]);
        }

        return expected;
    }

    /// <summary>
    /// A provider without dynamic registration whose one public client calls back the function (so the function's port
    /// is chosen first), and the function as that client's registration facade, over a function URL.
    /// </summary>
    private sealed class FacadeDeployment : IAsyncDisposable
    {
        public const string ClientId = "facade-client";

        private FacadeDeployment(AuthorizationServer provider, InProcessLocalFunction function, string functionBase)
        {
            Provider = provider;
            Function = function;
            Base = functionBase;
        }

        public AuthorizationServer Provider { get; }

        public InProcessLocalFunction Function { get; }

        /// <summary>The function's base URL: the facade's issuer.</summary>
        public string Base { get; }

        public static async Task<FacadeDeployment> StartAsync()
        {
            var port = LocalPort.Free();
            var functionBase = $"http://127.0.0.1:{port}";
            var provider = await AuthorizationServer.StartAsync("--no-registration", "--client", $"{ClientId}={functionBase}/oauth/callback");
            var oauth = new OAuthSettings
            {
                Issuer = provider.Issuer,
                Scopes = ["mcp:tools"],
                Facade = new RegistrationFacadeSettings { ClientId = ClientId, Key = System.Security.Cryptography.RandomNumberGenerator.GetBytes(FlowSeal.KeyBytes) },
            };
            var function = await InProcessLocalFunction.StartAsync(
                TestRepository.EverythingServer(), TimeSpan.FromSeconds(30), adapter: FunctionUrlEventAdapter.Instance, settings: McpLambdaSettings.Default with { OAuth = oauth }, port: port);
            return new FacadeDeployment(provider, function, functionBase);
        }

        public async ValueTask DisposeAsync()
        {
            await Function.DisposeAsync();
            await Provider.DisposeAsync();
        }
    }

    /// <summary>Records the status and challenge of each 401 and 403 the client meets, as the TypeScript script does.</summary>
    private sealed class ChallengeRecorder(List<(HttpStatusCode Status, string? Challenge)> challenges) : DelegatingHandler(new HttpClientHandler())
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var response = await base.SendAsync(request, cancellationToken);
            if (response.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden)
            {
                lock (challenges)
                {
                    challenges.Add((response.StatusCode, response.Headers.WwwAuthenticate.Count == 0 ? null : string.Join(", ", response.Headers.WwwAuthenticate)));
                }
            }

            return response;
        }
    }
}
