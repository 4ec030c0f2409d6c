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
/// calls, in local mode (the real runtime loop against the Runtime API emulation) for each HTTP way in that passes the
/// challenge to the client.
/// </summary>
public sealed class OAuthTests
{
    public static TheoryData<string> WaysIn => ["function URL", "HTTP API"];

    [Theory]
    [MemberData(nameof(WaysIn))]
    public async Task The_TypeScript_SDK_client_registers_authorizes_and_calls_tools_with_a_token_for_this_resource(string wayIn)
    {
        await using var authorizationServer = await AuthorizationServer.StartAsync();
        await using var function = await StartAsync(authorizationServer, wayIn);

        var output = JsonNode.Parse(await NodeAsync("oauth-client.mjs", function.Url.ToString()))!;

        var challenge = output["challenges"]![0]!;
        Assert.Equal(401, challenge["status"]!.GetValue<int>());
        var metadataUrl = new Uri(function.Url, "/.well-known/oauth-protected-resource/mcp");
        Assert.Equal($"Bearer resource_metadata=\"{metadataUrl}\", scope=\"mcp:tools\"", challenge["challenge"]!.GetValue<string>());
        Assert.NotNull(output["registered"]?.GetValue<string>());
        Assert.Contains("resource=" + Uri.EscapeDataString(function.Url.ToString()), output["authorizationUrl"]!.GetValue<string>());
        Assert.Contains("echo", output["tools"]!.AsArray().Select(t => t!.GetValue<string>()));
        Assert.Equal("Echo: with a token", output["echo"]!.GetValue<string>());

        var claims = JsonNode.Parse(Base64UrlEncoder.Decode(output["token"]!.GetValue<string>().Split('.')[1]))!;
        Assert.Equal(function.Url.ToString(), claims["aud"]!.GetValue<string>());
        Assert.Equal(authorizationServer.Issuer, claims["iss"]!.GetValue<string>());
        Assert.Contains("mcp:tools", claims["scope"]!.GetValue<string>());
    }

    [Fact]
    public async Task The_CSharp_SDK_client_registers_authorizes_and_calls_tools_over_a_function_url()
    {
        await using var authorizationServer = await AuthorizationServer.StartAsync();
        await using var function = await StartAsync(authorizationServer, "function URL");
        var redirect = new Uri($"http://127.0.0.1:{Random.Shared.Next(20000, 40000)}/callback");
        var transport = new HttpClientTransport(new HttpClientTransportOptions
        {
            Endpoint = function.Url,
            TransportMode = HttpTransportMode.StreamableHttp,
            OAuth = new ClientOAuthOptions
            {
                RedirectUri = redirect,
                DynamicClientRegistration = new DynamicClientRegistrationOptions { ClientName = "mcplambda csharp oauth test" },
                AuthorizationCallbackHandler = (context, cancellationToken) => Browser.FollowAsync(context.AuthorizationUri, context.RedirectUri, cancellationToken),
            },
        });

        await using var client = await McpClient.CreateAsync(transport);
        var tools = await client.ListToolsAsync();
        var echo = await client.CallToolAsync("echo", new Dictionary<string, object?> { ["message"] = "from C# with a token" });

        Assert.Contains(tools, t => t.Name == "echo");
        Assert.Equal("Echo: from C# with a token", Assert.IsType<TextContentBlock>(echo.Content[0]).Text);
    }

    [Fact]
    public async Task Through_the_registration_facade_the_TypeScript_SDK_client_registers_with_the_function_and_signs_in_at_a_provider_without_registration()
    {
        await using var facade = await FacadeDeployment.StartAsync();

        var output = JsonNode.Parse(await NodeAsync("oauth-client.mjs", facade.Function.Url.ToString()))!;

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

    private static Task<InProcessLocalFunction> StartAsync(AuthorizationServer authorizationServer, string wayIn)
    {
        var settings = McpLambdaSettings.Default with { OAuth = new OAuthSettings { Issuer = authorizationServer.Issuer, Scopes = ["mcp:tools"] } };
        LambdaEventAdapter adapter = wayIn == "HTTP API" ? HttpApiEventAdapter.Instance : FunctionUrlEventAdapter.Instance;
        return InProcessLocalFunction.StartAsync(TestRepository.EverythingServer(), TimeSpan.FromSeconds(30), adapter: adapter, settings: settings);
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

    private static async Task<string> NodeAsync(string script, params string[] args)
    {
        var (exitCode, output) = await CommandLine.RunAsync("node", AuthorizationServer.ProjectDirectory, [Path.Combine("node", script), .. args], timeout: TimeSpan.FromSeconds(90));
        Assert.True(exitCode == 0, $"{script} exited with {exitCode}: {output}");
        return output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Last(line => line.StartsWith('{'));
    }
}
