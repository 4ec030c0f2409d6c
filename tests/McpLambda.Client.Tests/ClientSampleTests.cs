using System.Diagnostics;
using McpLambda.Runtime.EventAdapters;
using McpLambda.Runtime.Local;

namespace McpLambda.Client.Tests;

/// <summary>The McpClientSample console app, run as a user runs it, with credentials from the default chain (environment variables).</summary>
[Collection(LambdaCollection.Name)]
public sealed class ClientSampleTests(LambdaFixture lambda)
{
    [Fact]
    public async Task Invoke_lists_tools_and_calls_echo()
    {
        var (exit, output) = await RunAsync("--invoke", LambdaFixture.EverythingFunction, "--region", TestAws.Region, "--endpoint", lambda.InvokeApi.Endpoint.ToString(), "--tool", "echo", "--args", """{"message":"hi"}""");

        Assert.True(exit == 0, output);
        Assert.Contains("  echo: ", output);
        Assert.Contains("Echo: hi", output);
    }

    [Fact]
    public async Task Function_URL_signs_with_SigV4_and_calls_echo()
    {
        var (exit, output) = await RunAsync("--url", lambda.FunctionUrl.Url.ToString(), "--region", TestAws.Region, "--tool", "echo", "--args", """{"message":"signed"}""");

        Assert.True(exit == 0, output);
        Assert.Contains("Echo: signed", output);
    }

    [Fact]
    public async Task Api_gateway_uses_plain_Streamable_HTTP_with_a_bearer_token()
    {
        // A plain HTTP front door (no IAM) into the same payload 2.0 function stands in for an HTTP API.
        await using var frontDoor = LocalFrontDoor.Start(0, HttpApiEventAdapter.Instance, lambda.UrlLambda);

        var (exit, output) = await RunAsync("--api-gateway", frontDoor.Url.ToString(), "--token", "test-token", "--tool", "echo", "--args", """{"message":"plain"}""");

        Assert.True(exit == 0, output);
        Assert.Contains("Echo: plain", output);
    }

    [Fact]
    public async Task Usage_errors_exit_2()
    {
        Assert.Equal(2, (await RunAsync("--agentcore", "https://gateway.example.com/mcp")).Exit);
        Assert.Equal(2, (await RunAsync("--invoke", "f", "--url", "https://example.com/")).Exit);
        Assert.Equal(2, (await RunAsync("--bogus", "x")).Exit);
    }

    private static async Task<(int Exit, string Output)> RunAsync(params string[] args)
    {
        var dll = Path.GetFullPath(Path.Combine(string.Format(TestAws.Metadata("SamplesOutput"), "McpClientSample"), "McpClientSample.dll"));
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        info.ArgumentList.Add(dll);
        args.ToList().ForEach(info.ArgumentList.Add);
        info.Environment["AWS_ACCESS_KEY_ID"] = TestAws.Caller.AccessKey;
        info.Environment["AWS_SECRET_ACCESS_KEY"] = TestAws.Caller.SecretKey;
        info.Environment["AWS_EC2_METADATA_DISABLED"] = "true";
        info.Environment.Remove("AWS_PROFILE");
        info.Environment.Remove("AWS_SESSION_TOKEN");
        info.Environment.Remove("MCP_BEARER_TOKEN");
        using var process = Process.Start(info)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await output + await errors);
    }
}
