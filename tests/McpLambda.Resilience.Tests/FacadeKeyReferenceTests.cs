using System.Security.Cryptography;
using McpLambda.Runtime.Configuration;
using McpLambda.Runtime.Hosting;
using McpLambda.Runtime.Secrets;

namespace McpLambda.Resilience.Tests;

/// <summary>
/// The registration facade's sealing key named as a secret (<c>MCPLAMBDA_OAUTH_FACADE_KEY=ssm:…</c>) is read from the
/// Parameter Store emulation during init, in one call with decryption; a reference that cannot be resolved stops the
/// start with an error naming the variable and the parameter, never a value.
/// </summary>
public sealed class FacadeKeyReferenceTests
{
    [Fact]
    public async Task The_facade_key_is_read_from_the_parameter_it_names()
    {
        var key = RandomNumberGenerator.GetBytes(32);
        await using var store = new LocalParameterStore();
        store.Put("/mcp/facade-key", Convert.ToBase64String(key));
        var settings = Settings("ssm:/mcp/facade-key");
        Assert.Empty(settings.OAuth!.Facade!.Key);

        var resolved = FunctionHost.WithSecretSettings(settings, () => new SsmParameterStore(store.Client));

        Assert.Equal(key, resolved.OAuth!.Facade!.Key);
        Assert.False(resolved.OAuth.Facade.KeyIsGenerated);
        var call = Assert.Single(store.Calls);
        Assert.Equal(["/mcp/facade-key"], call.Names);
        Assert.True(call.WithDecryption);
    }

    [Fact]
    public async Task A_key_reference_that_cannot_be_resolved_or_holds_no_key_stops_the_start_naming_the_variable()
    {
        await using var store = new LocalParameterStore();
        store.Put("/mcp/not-a-key", "short-secret-text");

        var missing = Assert.Throws<ArgumentException>(() => FunctionHost.WithSecretSettings(Settings("ssm:/mcp/absent"), () => new SsmParameterStore(store.Client)));
        Assert.Contains("MCPLAMBDA_OAUTH_FACADE_KEY", missing.Message);
        Assert.Contains("/mcp/absent", missing.Message);
        Assert.Contains("not found", missing.Message);

        var wrong = Assert.Throws<ArgumentException>(() => FunctionHost.WithSecretSettings(Settings("ssm:/mcp/not-a-key"), () => new SsmParameterStore(store.Client)));
        Assert.Contains("MCPLAMBDA_OAUTH_FACADE_KEY must be 32 random bytes in base64", wrong.Message);
        Assert.DoesNotContain("short-secret-text", wrong.Message);
    }

    [Fact]
    public void Settings_without_a_reference_are_left_as_they_are_and_no_store_is_made()
    {
        var settings = Settings(Convert.ToBase64String(new byte[32]));
        Assert.Same(settings, FunctionHost.WithSecretSettings(settings, () => throw new InvalidOperationException("no store may be made")));
    }

    private static McpLambdaSettings Settings(string key) => McpLambdaSettings.Read(name => name switch
    {
        "MCPLAMBDA_OAUTH_ISSUER" => "https://issuer.example.com",
        "MCPLAMBDA_OAUTH_FACADE_CLIENT_ID" => "facade-client",
        "MCPLAMBDA_OAUTH_FACADE_KEY" => key,
        _ => null,
    });
}
