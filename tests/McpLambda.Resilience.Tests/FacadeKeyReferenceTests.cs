using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using McpLambda.Runtime;
using McpLambda.Runtime.Configuration;
using McpLambda.Runtime.EventAdapters;
using McpLambda.Runtime.Hosting;
using McpLambda.Runtime.Local;
using McpLambda.Runtime.Secrets;

namespace McpLambda.Resilience.Tests;

/// <summary>
/// The registration facade's sealing key named as a secret (<c>MCPLAMBDA_OAUTH_FACADE_KEY=ssm:…</c>) is read from the
/// Parameter Store emulation during init, in one call with decryption; a reference that cannot be resolved stops the
/// start with an error naming the variable and the parameter, never a value, which the function reports to the Runtime
/// API's init error (as the request state's key, named the same way, shows). In the log collection: the function applies
/// its log settings, and the test reads the log.
/// </summary>
[Collection(nameof(LogConfigurationCollection))]
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

        var resolved = FunctionHost.WithSecretSettings(settings, () => new SsmParameterStore(store.Connection));

        Assert.Equal(key, resolved.OAuth!.Facade!.Key);
        Assert.False(resolved.OAuth.Facade.KeyIsGenerated);
        var call = Assert.Single(store.Calls);
        Assert.Equal(["/mcp/facade-key"], call.Names);
        Assert.True(call.WithDecryption);
    }

    [Fact]
    public async Task The_facade_key_and_the_request_state_key_are_read_in_one_call()
    {
        var facadeKey = RandomNumberGenerator.GetBytes(32);
        var stateKey = RandomNumberGenerator.GetBytes(32);
        await using var store = new LocalParameterStore();
        store.Put("/mcp/facade-key", Convert.ToBase64String(facadeKey));
        store.Put("/mcp/state-key", Convert.ToBase64String(stateKey));

        var resolved = FunctionHost.WithSecretSettings(Settings("ssm:/mcp/facade-key", "ssm:/mcp/state-key"), () => new SsmParameterStore(store.Connection));

        Assert.Equal(facadeKey, resolved.OAuth!.Facade!.Key);
        Assert.Equal(stateKey, resolved.Modern.RequestStateKey);
        var call = Assert.Single(store.Calls);
        Assert.Equal(["/mcp/facade-key", "/mcp/state-key"], call.Names.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task A_generated_secret_text_gives_each_setting_its_own_key_the_same_in_every_environment()
    {
        // What the template's RequestStateKey holds.
        var text = LocalParameterStore.GeneratedSecret();
        await using var store = new LocalParameterStore();
        store.PutSecret("stack-request-state-key", text);
        var settings = Settings("ssm:/aws/reference/secretsmanager/stack-request-state-key", "ssm:/aws/reference/secretsmanager/stack-request-state-key");

        var first = FunctionHost.WithSecretSettings(settings, () => new SsmParameterStore(store.Connection));
        var second = FunctionHost.WithSecretSettings(settings, () => new SsmParameterStore(store.Connection));

        Assert.Equal(32, first.Modern.RequestStateKey!.Length);
        Assert.Equal(first.Modern.RequestStateKey, second.Modern.RequestStateKey);
        Assert.Equal(first.OAuth!.Facade!.Key, second.OAuth!.Facade!.Key);
        Assert.NotEqual(first.Modern.RequestStateKey, first.OAuth.Facade.Key);
        Assert.NotEqual(Encoding.UTF8.GetBytes(text)[..32], first.Modern.RequestStateKey);

        // A text too short to be a generated secret is refused, named, without its value.
        store.PutSecret("stack-request-state-key", text[..31]);
        var shortText = Assert.Throws<SecretResolutionException>(() => FunctionHost.WithSecretSettings(settings, () => new SsmParameterStore(store.Connection)));
        Assert.Contains("holds no key", shortText.Message);
        Assert.Contains("or a generated text of at least 32 characters", shortText.Message);
        Assert.DoesNotContain(text[..31], shortText.Message);
    }

    [Fact]
    public async Task A_key_reference_that_cannot_be_resolved_or_holds_no_key_stops_the_start_naming_the_variable()
    {
        await using var store = new LocalParameterStore();
        store.Put("/mcp/not-a-key", "short-secret-text");

        var missing = Assert.Throws<SecretResolutionException>(() => FunctionHost.WithSecretSettings(Settings("ssm:/mcp/absent"), () => new SsmParameterStore(store.Connection)));
        Assert.Equal("the secret reference MCPLAMBDA_OAUTH_FACADE_KEY=ssm:/mcp/absent could not be resolved: not found (Parameter Store answered InvalidParameters)", missing.Message);

        var wrong = Assert.Throws<SecretResolutionException>(() => FunctionHost.WithSecretSettings(Settings("ssm:/mcp/not-a-key"), () => new SsmParameterStore(store.Connection)));
        Assert.Contains("MCPLAMBDA_OAUTH_FACADE_KEY=ssm:/mcp/not-a-key holds no key: MCPLAMBDA_OAUTH_FACADE_KEY must be 32 random bytes in base64", wrong.Message);
        Assert.DoesNotContain("short-secret-text", wrong.Message);
    }

    [Fact]
    public async Task A_key_reference_that_cannot_be_resolved_is_reported_as_an_init_error_and_the_next_init_works()
    {
        var key = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
        const string NotAKey = "not-a-key-value-0005";
        await using var store = new LocalParameterStore();
        using var log = new StderrCapture();

        // The parameter is missing, then holds text that is no key: each init fails, reported as Lambda wants it.
        var missing = await FailedInitAsync(store);
        Assert.Equal(
            "the function's settings could not be read: the secret reference MCPLAMBDA_REQUEST_STATE_KEY=ssm:/mcp/state-key could not be resolved: not found (Parameter Store answered InvalidParameters)",
            missing);
        store.Put("/mcp/state-key", NotAKey);
        var wrong = await FailedInitAsync(store);
        Assert.StartsWith("the function's settings could not be read: the secret reference MCPLAMBDA_REQUEST_STATE_KEY=ssm:/mcp/state-key holds no key: ", wrong);
        Assert.Contains(wrong, log.Text);

        // Fixed, the next init (a new execution environment) resolves it and serves.
        store.Put("/mcp/state-key", key);
        await using (var lambda = RuntimeApiEmulator.Start())
        {
            using var stop = new CancellationTokenSource();
            var function = McpLambdaFunction.RunAsync([], MisbehavingServer.Options(), LambdaInvokeEventAdapter.Instance, StateKeySettings(lambda), () => new SsmParameterStore(store.Connection), stop.Token);
            var answer = await lambda.InvokeAsync(CallPid).WaitAsync(TimeSpan.FromSeconds(30));
            Assert.True(int.TryParse(JsonNode.Parse(answer.Payload)!["result"]!["content"]![0]!["text"]!.GetValue<string>(), out _));
            Assert.False(lambda.InitError.IsCompleted);
            await stop.CancelAsync();
            Assert.Equal(0, await function.WaitAsync(TimeSpan.FromSeconds(10)));
        }

        Assert.Equal(3, store.Calls.Count);
        Assert.All(store.Calls, call => Assert.Equal(["/mcp/state-key"], call.Names));
        Assert.DoesNotContain(NotAKey, log.Text);
        Assert.DoesNotContain(key, log.Text);
        Assert.DoesNotContain("MCPLAMBDA_REQUEST_STATE_KEY is not set", log.Text);
    }

    [Fact]
    public void Settings_without_a_reference_are_left_as_they_are_and_no_store_is_made()
    {
        var settings = Settings(Convert.ToBase64String(new byte[32]));
        Assert.Same(settings, FunctionHost.WithSecretSettings(settings, () => throw new InvalidOperationException("no store may be made")));
    }

    private static byte[] CallPid => Encoding.UTF8.GetBytes("""{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"pid","arguments":{}}}""");

    /// <summary>Runs the function under <paramref name="store"/>'s values until init ends; returns the init error it reported, after checking its type.</summary>
    private static async Task<string> FailedInitAsync(LocalParameterStore store)
    {
        await using var lambda = RuntimeApiEmulator.Start();
        var exitCode = await McpLambdaFunction.RunAsync([], MisbehavingServer.Options(), LambdaInvokeEventAdapter.Instance, StateKeySettings(lambda), () => new SsmParameterStore(store.Connection), CancellationToken.None)
            .WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(1, exitCode);
        var initError = JsonNode.Parse(await lambda.InitError.WaitAsync(TimeSpan.FromSeconds(5)))!;
        Assert.Equal("Runtime.SecretSettingFailed", initError["errorType"]!.GetValue<string>());
        Assert.False(lambda.FirstNext.IsCompleted);
        return initError["errorMessage"]!.GetValue<string>();
    }

    /// <summary>A function under <paramref name="lambda"/> whose request state key names <c>/mcp/state-key</c>.</summary>
    private static McpLambdaSettings StateKeySettings(RuntimeApiEmulator lambda) => McpLambdaSettings.Read(name => name switch
    {
        "AWS_LAMBDA_RUNTIME_API" => lambda.Address,
        "MCPLAMBDA_REQUEST_STATE_KEY" => "ssm:/mcp/state-key",
        _ => null,
    });

    private static McpLambdaSettings Settings(string key, string? stateKey = null) => McpLambdaSettings.Read(name => name switch
    {
        "MCPLAMBDA_REQUEST_STATE_KEY" => stateKey,
        "MCPLAMBDA_OAUTH_ISSUER" => "https://issuer.example.com",
        "MCPLAMBDA_OAUTH_FACADE_CLIENT_ID" => "facade-client",
        "MCPLAMBDA_OAUTH_FACADE_KEY" => key,
        _ => null,
    });
}
