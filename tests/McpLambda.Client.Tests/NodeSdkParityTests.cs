using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using ModelContextProtocol;
using ModelContextProtocol.Protocol;

namespace McpLambda.Client.Tests;

/// <summary>
/// The AWS SDK for JavaScript v3 (<c>@aws-sdk/client-lambda</c>, pinned in package.json), a Lambda client nobody
/// here wrote, against the same local Invoke API: its signatures pass the verifier, and for the same JSON-RPC
/// message it gets the same answer as <see cref="LambdaFunctionClientTransport"/>.
/// </summary>
[Collection(LambdaCollection.Name)]
public sealed class NodeSdkParityTests(LambdaFixture lambda)
{
    [Theory]
    [InlineData("""{"jsonrpc":"2.0","id":7,"method":"tools/call","params":{"name":"echo","arguments":{"message":"parity"}}}""")]
    [InlineData("""{"jsonrpc":"2.0","id":"list","method":"tools/list"}""")]
    [InlineData("""{"jsonrpc":"2.0","id":8,"method":"tools/call","params":{"name":"get-sum","arguments":{"a":40,"b":2}}}""")]
    public async Task The_JavaScript_SDK_and_our_transport_get_the_same_answer(string message)
    {
        var node = await InvokeWithNodeAsync(LambdaFixture.EverythingFunction, message);
        Assert.Equal(200, node["statusCode"]!.GetValue<int>());
        Assert.Null(node["functionError"]);
        var theirs = JsonNode.Parse(node["payload"]!.GetValue<string>());

        await using var session = await new LambdaFunctionClientTransport(lambda.Options()).ConnectAsync();
        await session.SendMessageAsync(InvokeTransportTests.Message(message));
        var reply = await InvokeTransportTests.ReadAsync(session);
        var ours = JsonSerializer.SerializeToNode(reply, McpJsonUtilities.DefaultOptions.GetTypeInfo(typeof(JsonRpcMessage)));

        Assert.True(JsonNode.DeepEquals(theirs, ours), $"JavaScript SDK: {theirs?.ToJsonString()}\nMcpLambda.Client: {ours?.ToJsonString()}");
    }

    [Fact]
    public async Task The_JavaScript_SDK_sees_the_same_function_error()
    {
        var message = "{\"jsonrpc\":\"2.0\",\"id\":9,\"method\":\"tools/call\",\"params\":{\"name\":\"echo\",\"arguments\":{\"message\":\"" + FaultFunction.Marker + "\"}}}";
        var node = await InvokeWithNodeAsync(LambdaFixture.FaultyFunction, message);

        LambdaFunctionException? ours = null;
        var options = lambda.Options(LambdaFixture.FaultyFunction);
        options.OnFunctionError = e => ours = e;
        await using var session = await new LambdaFunctionClientTransport(options).ConnectAsync();
        await session.SendMessageAsync(InvokeTransportTests.Message(message));
        var error = Assert.IsType<JsonRpcError>(await InvokeTransportTests.ReadAsync(session));

        Assert.Equal("Unhandled", node["functionError"]!.GetValue<string>());
        Assert.NotNull(ours);
        Assert.Equal(node["functionError"]!.GetValue<string>(), ours.FunctionError);
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(node["payload"]!.GetValue<string>()), JsonNode.Parse(ours.Payload)));
        Assert.Equal(new RequestId(9), error.Id);
        Assert.Equal("InvalidOperationException", ((JsonNode)error.Error.Data!)["errorType"]!.GetValue<string>());
    }

    [Fact]
    public async Task The_JavaScript_SDK_with_a_wrong_secret_is_refused_like_ours()
    {
        var node = await InvokeWithNodeAsync(LambdaFixture.EverythingFunction, """{"jsonrpc":"2.0","id":1,"method":"ping"}""", secretKey: "wrong");

        Assert.Equal(403, node["statusCode"]!.GetValue<int>());
        Assert.Equal("InvalidSignatureException", node["errorName"]!.GetValue<string>());
    }

    private async Task<JsonNode> InvokeWithNodeAsync(string function, string payload, string? secretKey = null)
    {
        var directory = TestAws.Metadata("TestProjectDirectory");
        var info = new ProcessStartInfo("node", [Path.Combine(directory, "node", "invoke.mjs")])
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = directory,
        };
        foreach (var name in new[] { "AWS_PROFILE", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN" })
        {
            info.Environment.Remove(name);
        }

        using var process = Process.Start(info)!;
        var input = new JsonObject
        {
            ["endpoint"] = lambda.InvokeApi.Endpoint.ToString().TrimEnd('/'),
            ["region"] = TestAws.Region,
            ["functionName"] = function,
            ["accessKeyId"] = TestAws.Caller.AccessKey,
            ["secretAccessKey"] = secretKey ?? TestAws.Caller.SecretKey,
            ["payload"] = payload,
        };
        await process.StandardInput.WriteAsync(input.ToJsonString());
        process.StandardInput.Close();
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await process.WaitForExitAsync(timeout.Token);
        Assert.True(process.ExitCode == 0, await errors);
        return JsonNode.Parse(await output)!;
    }
}
