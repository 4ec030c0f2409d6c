using McpLambda.Runtime.Authorization;
using McpLambda.Runtime.Configuration;

namespace McpLambda.Runtime.Tests.Authorization;

/// <summary>The facade's variables: on with its client, a shared key or a made-up one, and the redirect URI list.</summary>
public sealed class RegistrationFacadeSettingsTests
{
    private static readonly string Key = Convert.ToBase64String(Enumerable.Range(1, 32).Select(i => (byte)i).ToArray());

    [Fact]
    public void The_facade_is_on_with_its_client_whose_tokens_pass_without_an_audience()
    {
        var oauth = Read(new() { ["MCPLAMBDA_OAUTH_FACADE_CLIENT_ID"] = "facade-client", ["MCPLAMBDA_OAUTH_CLIENT_IDS"] = "other", ["MCPLAMBDA_OAUTH_FACADE_KEY"] = Key });

        var facade = Assert.IsType<RegistrationFacadeSettings>(oauth.Facade);
        Assert.Equal("facade-client", facade.ClientId);
        Assert.Equal(Convert.FromBase64String(Key), facade.Key);
        Assert.False(facade.KeyIsGenerated);
        Assert.Same(RedirectUriAllowList.Default, facade.RedirectUris);
        Assert.Equal(["other", "facade-client"], oauth.ClientIds);
    }

    [Fact]
    public void Without_a_client_there_is_no_facade()
        => Assert.Null(Read(new() { ["MCPLAMBDA_OAUTH_FACADE_KEY"] = Key }).Facade);

    [Fact]
    public void Without_a_key_each_process_makes_up_its_own()
    {
        var first = Read(new() { ["MCPLAMBDA_OAUTH_FACADE_CLIENT_ID"] = "c" }).Facade!;
        var second = Read(new() { ["MCPLAMBDA_OAUTH_FACADE_CLIENT_ID"] = "c" }).Facade!;

        Assert.True(first.KeyIsGenerated);
        Assert.Equal(FlowSeal.KeyBytes, first.Key.Length);
        Assert.NotEqual(first.Key, second.Key);
    }

    [Fact]
    public void The_redirect_uri_list_replaces_the_default()
    {
        var facade = Read(new() { ["MCPLAMBDA_OAUTH_FACADE_CLIENT_ID"] = "c", ["MCPLAMBDA_OAUTH_REDIRECT_URIS"] = "https://app.example/cb, http://localhost:*/done" }).Facade!;

        Assert.Equal(["https://app.example/cb", "http://localhost:*/done"], facade.RedirectUris.Patterns);
        Assert.True(facade.RedirectUris.Allows("http://localhost:5123/done"));
        Assert.False(facade.RedirectUris.Allows("https://claude.ai/api/mcp/auth_callback"));
    }

    [Theory]
    [InlineData("MCPLAMBDA_OAUTH_FACADE_KEY", "c2hvcnQ=")]
    [InlineData("MCPLAMBDA_OAUTH_FACADE_KEY", "not base64!")]
    [InlineData("MCPLAMBDA_OAUTH_REDIRECT_URIS", "https://*.example/cb")]
    [InlineData("MCPLAMBDA_OAUTH_REDIRECT_URIS", "/relative/cb")]
    [InlineData("MCPLAMBDA_OAUTH_AUTHORIZATION_SERVERS", "https://as.example")]
    public void A_value_the_facade_cannot_take_is_refused_naming_its_variable(string variable, string value)
    {
        var error = Assert.Throws<ArgumentException>(() => Read(new() { ["MCPLAMBDA_OAUTH_FACADE_CLIENT_ID"] = "c", [variable] = value }));

        Assert.Contains(variable, error.Message);
    }

    private static OAuthSettings Read(Dictionary<string, string> environment)
    {
        environment["MCPLAMBDA_OAUTH_ISSUER"] = "https://issuer.example";
        return McpLambdaSettings.Read(environment.GetValueOrDefault).OAuth!;
    }
}
