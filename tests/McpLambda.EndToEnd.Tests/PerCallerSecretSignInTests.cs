using System.Text.Json.Nodes;
using McpLambda.Resilience.Tests;
using McpLambda.Runtime.Authorization;
using McpLambda.Runtime.Configuration;
using McpLambda.Runtime.EventAdapters;
using McpLambda.Runtime.Secrets;
using McpLambda.Tests;
using ModelContextProtocol.Authentication;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;

namespace McpLambda.EndToEnd.Tests;

/// <summary>
/// Per-caller secrets (<c>ssm:/mcp/users/{sub}/…</c>) for callers who sign in for real: two users authorize at the
/// authorization server (oidc-provider) through the C# SDK client's OAuth flow, and each reaches a server-everything of
/// its own whose environment holds that user's value from the Parameter Store emulation. The function's log and its
/// embedded metric format documents, both captured, never hold a value.
/// </summary>
public sealed class PerCallerSecretSignInTests
{
    private const string AliceToken = "alice-github-value-0011";
    private const string BobToken = "bob-github-value-0012";

    [Fact]
    public async Task Two_users_who_sign_in_each_get_their_own_value_and_no_value_reaches_the_log_or_the_metrics()
    {
        await using var store = new LocalParameterStore();
        store.Put("/mcp/users/alice/github", AliceToken);
        store.Put("/mcp/users/bob/github", BobToken);
        await using var authorizationServer = await AuthorizationServer.StartAsync();
        using var log = new StderrCapture();
        using var stdout = new StdoutCapture();
        var settings = McpLambdaSettings.Default with
        {
            OAuth = new OAuthSettings { Issuer = authorizationServer.Issuer, Scopes = ["mcp:tools"] },
            Metrics = true,
        };
        await using var function = await InProcessLocalFunction.StartAsync(
            TestRepository.EverythingServer(new Dictionary<string, string> { ["GITHUB_TOKEN"] = "ssm:/mcp/users/{sub}/github" }),
            TimeSpan.FromSeconds(30), adapter: FunctionUrlEventAdapter.Instance, settings: settings, parameterStore: () => new SsmParameterStore(store.Connection));

        await using var alice = await SignInAsync(function, "alice");
        await using var bob = await SignInAsync(function, "bob");
        var aliceEnvironment = await EnvironmentAsync(alice);
        var bobEnvironment = await EnvironmentAsync(bob);

        Assert.Equal(AliceToken, aliceEnvironment["GITHUB_TOKEN"]!.GetValue<string>());
        Assert.Equal(BobToken, bobEnvironment["GITHUB_TOKEN"]!.GetValue<string>());
        Assert.Equal(["/mcp/users/alice/github", "/mcp/users/bob/github"], store.Calls.Select(call => call.Names.Single()));

        // The log says whose reference was resolved, and the metrics count the calls: neither holds a value.
        Assert.Contains("GITHUB_TOKEN=ssm:/mcp/users/alice/github", log.Text);
        Assert.Contains("GITHUB_TOKEN=ssm:/mcp/users/bob/github", log.Text);
        var metrics = stdout.Text.Split('\n').Where(line => line.Contains("\"_aws\"", StringComparison.Ordinal)).ToList();
        Assert.True(metrics.Count(line => JsonNode.Parse(line)!["Tool"]?.GetValue<string>() == "get-env") >= 2, string.Join('\n', metrics));
        foreach (var value in new[] { AliceToken, BobToken })
        {
            Assert.DoesNotContain(value, log.Text);
            Assert.DoesNotContain(value, stdout.Text);
        }
    }

    /// <summary>A C# SDK client that registers, signs in as <paramref name="user"/> (the login hint the automated login honours) and connects.</summary>
    private static async Task<McpClient> SignInAsync(InProcessLocalFunction function, string user)
    {
        var transport = new HttpClientTransport(new HttpClientTransportOptions
        {
            Endpoint = function.Url,
            TransportMode = HttpTransportMode.StreamableHttp,
            OAuth = new ClientOAuthOptions
            {
                RedirectUri = new Uri($"http://127.0.0.1:{Random.Shared.Next(20000, 40000)}/callback"),
                DynamicClientRegistration = new DynamicClientRegistrationOptions { ClientName = "mcplambda per-caller secrets test" },
                AuthorizationCallbackHandler = (context, cancellationToken)
                    => Browser.FollowAsync(new Uri($"{context.AuthorizationUri}&login_hint={user}"), context.RedirectUri, cancellationToken),
            },
        });
        return await McpClient.CreateAsync(transport);
    }

    /// <summary>The environment of the caller's server, as its <c>get-env</c> tool returns it.</summary>
    private static async Task<JsonObject> EnvironmentAsync(McpClient client)
    {
        var result = await client.CallToolAsync("get-env");
        return JsonNode.Parse(Assert.IsType<TextContentBlock>(result.Content[0]).Text)!.AsObject();
    }
}
