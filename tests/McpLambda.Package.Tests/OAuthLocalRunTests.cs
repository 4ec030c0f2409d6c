using System.Text.Json.Nodes;
using McpLambda.Tests;

namespace McpLambda.Package.Tests;

/// <summary>
/// A user's own OAuth function, outside this repository: `dotnet new mcp-lambda --auth oauth`, `dotnet run` trusting a
/// real authorization server (oidc-provider on loopback) through its settings, and the TypeScript SDK's OAuth client
/// signing in from the 401 challenge on and calling a tool.
/// </summary>
[Collection(UserWorkspaceCollection.Name)]
public sealed class OAuthLocalRunTests(UserWorkspace user)
{
    [Fact]
    public async Task A_new_oauth_function_run_locally_lets_the_TypeScript_SDK_client_sign_in_and_call_a_tool()
    {
        await using var authorizationServer = await AuthorizationServer.StartAsync();
        var project = await user.NewFunctionAsync("OAuthLocal", "--transport", "FunctionUrl", "--auth", "oauth");
        var environment = new Dictionary<string, string>(user.UserEnvironment)
        {
            ["MCPLAMBDA_OAUTH_ISSUER"] = authorizationServer.Issuer,
            ["MCPLAMBDA_OAUTH_SCOPES"] = "mcp:tools",
        };

        await using var function = SampleFunction.StartProcess("dotnet", ["run", "--", "--port", "0"], environment, project);
        var url = await function.WaitForUrlAsync(TimeSpan.FromMinutes(4));
        var output = JsonNode.Parse(await NodeScript.ReportAsync("oauth-client.mjs", url.ToString()))!;

        var challenge = output["challenges"]![0]!;
        Assert.Equal(401, challenge["status"]!.GetValue<int>());
        Assert.Equal($"Bearer resource_metadata=\"{new Uri(url, "/.well-known/oauth-protected-resource/mcp")}\", scope=\"mcp:tools\"", challenge["challenge"]!.GetValue<string>());
        Assert.NotNull(output["registered"]?.GetValue<string>());
        Assert.Contains("resource=" + Uri.EscapeDataString(url.ToString()), output["authorizationUrl"]!.GetValue<string>());
        Assert.Equal("Echo: with a token", output["echo"]!.GetValue<string>());
        Assert.Contains("OAuth: caller sub=", function.Output);
    }
}
