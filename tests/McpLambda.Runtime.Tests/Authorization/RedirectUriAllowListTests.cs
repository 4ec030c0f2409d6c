using McpLambda.Runtime.Authorization;

namespace McpLambda.Runtime.Tests.Authorization;

/// <summary>The default list takes the callbacks of the well-known clients, and a wildcard never widens past a port or a segment.</summary>
public sealed class RedirectUriAllowListTests
{
    [Theory]
    [InlineData("https://claude.ai/api/mcp/auth_callback")]
    [InlineData("https://claude.com/api/mcp/auth_callback")]
    [InlineData("http://localhost:54321/callback")]
    [InlineData("http://127.0.0.1:8976/callback")]
    [InlineData("http://127.0.0.1:33418/")]
    [InlineData("http://127.0.0.1/")]
    [InlineData("https://vscode.dev/redirect")]
    [InlineData("https://insiders.vscode.dev/redirect")]
    [InlineData("https://chatgpt.com/connector_platform_oauth_redirect")]
    [InlineData("https://chatgpt.com/connector/oauth/Ab-12_x.y~z")]
    [InlineData("http://localhost:8787/callback")]
    [InlineData("https://www.cursor.com/agents/mcp/oauth/callback")]
    [InlineData("cursor://anysphere.cursor-mcp/oauth/callback")]
    [InlineData("http://localhost:6274/oauth/callback")]
    public void The_default_list_takes_the_well_known_clients(string uri)
        => Assert.True(RedirectUriAllowList.Default.Allows(uri));

    [Theory]
    [InlineData("https://evil.example/api/mcp/auth_callback")]
    [InlineData("https://claude.ai/api/mcp/auth_callback/extra")]
    [InlineData("https://claude.ai/api/mcp/auth_callback?next=https://evil.example")]
    [InlineData("https://claude.ai/api/mcp/auth_callback#fragment")]
    [InlineData("http://claude.ai/api/mcp/auth_callback")]
    [InlineData("https://claude.ai.evil.example/api/mcp/auth_callback")]
    [InlineData("http://127.0.0.1.evil.example:80/callback")]
    [InlineData("http://127.0.0.1:80@evil.example/callback")]
    [InlineData("http://127.0.0.1:1234567/callback")]
    [InlineData("http://127.0.0.1:8976/callback/")]
    [InlineData("http://127.0.0.1:8976/other")]
    [InlineData("https://chatgpt.com/connector/oauth/")]
    [InlineData("https://chatgpt.com/connector/oauth/..")]
    [InlineData("https://chatgpt.com/connector/oauth/a%2F..%2Fb")]
    [InlineData("https://chatgpt.com/connector/oauth/a/b")]
    [InlineData("cursor://anysphere.cursor-mcp/oauth/other")]
    [InlineData("https://claude.ai/api/mcp/auth callback")]
    [InlineData("not a uri")]
    [InlineData("")]
    [InlineData(null)]
    public void Anything_else_is_refused(string? uri)
        => Assert.False(RedirectUriAllowList.Default.Allows(uri));

    [Theory]
    [InlineData("https://*.example/cb")]
    [InlineData("https://app.example/cb*")]
    [InlineData("https://app.example/cb?x=*")]
    [InlineData("https://app.example:8*/cb")]
    [InlineData("app.example/cb")]
    [InlineData("https://app.example/cb#x")]
    public void A_wildcard_anywhere_but_a_port_or_a_whole_segment_is_refused(string pattern)
        => Assert.Throws<ArgumentException>(() => new RedirectUriAllowList([pattern]));
}
