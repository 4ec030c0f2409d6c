using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using McpLambda.Resilience.Tests;
using McpLambda.Runtime.Local;
using McpLambda.Tests;

namespace McpLambda.EndToEnd.Tests;

/// <summary>
/// A multi round-trip request (MCP 2026-07-28) across execution environments as Lambda runs them: two processes of the
/// function-URL sample, each wrapping its own server-everything under its own Runtime API emulation, with the
/// function's one <c>MCPLAMBDA_REQUEST_STATE_KEY</c> as the template deploys it: a reference to a Secrets Manager secret
/// that holds a generated text, which each environment reads from the Parameter Store emulation during init. The first
/// environment asks the client (an InputRequiredResult); the retry lands in the second, which runs the call again and
/// answers its server from the retry; an environment with another key refuses the state.
/// </summary>
public sealed class RequestStateAcrossEnvironmentsTests
{
    private const string Tool = "trigger-sampling-request";

    [Fact]
    public async Task A_retry_that_lands_in_another_environment_completes_and_one_with_another_key_is_refused()
    {
        await using var store = new LocalParameterStore();
        store.PutSecret("mcp-stack-request-state-key", LocalParameterStore.GeneratedSecret());
        var key = store.FunctionEnvironment();
        key["MCPLAMBDA_REQUEST_STATE_KEY"] = "ssm:/aws/reference/secretsmanager/mcp-stack-request-state-key";
        var otherKey = new Dictionary<string, string> { ["MCPLAMBDA_REQUEST_STATE_KEY"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)) };
        await using var firstLambda = RuntimeApiEmulator.Start();
        await using var secondLambda = RuntimeApiEmulator.Start();
        await using var strangerLambda = RuntimeApiEmulator.Start();
        await using var first = SampleFunction.StartUnderLambda("FunctionUrlFunction", firstLambda.Address, key);
        await using var second = SampleFunction.StartUnderLambda("FunctionUrlFunction", secondLambda.Address, key);
        await using var stranger = SampleFunction.StartUnderLambda("FunctionUrlFunction", strangerLambda.Address, otherKey);

        var asked = await CallAsync(firstLambda, first, retry: null);
        var result = asked["result"]!;
        Assert.Equal("input_required", result["resultType"]!.GetValue<string>());
        var (inputKey, inputRequest) = Assert.Single(result["inputRequests"]!.AsObject());
        Assert.Equal("sampling/createMessage", inputRequest!["method"]!.GetValue<string>());
        var retry = new JsonObject
        {
            ["inputResponses"] = new JsonObject
            {
                [inputKey] = new JsonObject { ["role"] = "assistant", ["model"] = "test-model", ["content"] = new JsonObject { ["type"] = "text", ["text"] = "Paris" } },
            },
            ["requestState"] = result["requestState"]!.GetValue<string>(),
        };

        var done = await CallAsync(secondLambda, second, retry);
        Assert.Equal("complete", done["result"]!["resultType"]!.GetValue<string>());
        Assert.Contains("Paris", done["result"]!["content"]![0]!["text"]!.GetValue<string>());

        Assert.Equal(2, store.Calls.Count);
        var refused = await CallAsync(strangerLambda, stranger, retry);
        Assert.Equal(-32602, refused["error"]!["code"]!.GetValue<int>());
        Assert.Contains("sealed by another function", refused["error"]!["message"]!.GetValue<string>());
    }

    /// <summary>One modern <c>tools/call</c> as a function URL event (with the retry's fields, if any); the JSON-RPC answer in its body.</summary>
    private static async Task<JsonNode> CallAsync(RuntimeApiEmulator lambda, SampleFunction function, JsonObject? retry)
    {
        var parameters = new JsonObject
        {
            ["name"] = Tool,
            ["arguments"] = new JsonObject { ["prompt"] = "What is the capital of France?" },
            ["_meta"] = new JsonObject
            {
                ["io.modelcontextprotocol/protocolVersion"] = "2026-07-28",
                ["io.modelcontextprotocol/clientCapabilities"] = new JsonObject { ["sampling"] = new JsonObject() },
            },
        };
        foreach (var (name, value) in retry ?? [])
        {
            parameters[name] = value!.DeepClone();
        }

        var call = new JsonObject { ["jsonrpc"] = "2.0", ["id"] = 1, ["method"] = "tools/call", ["params"] = parameters };
        var request = JsonNode.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fixtures", "functionurl-iam-tools-list.json")))!;
        request["headers"]!["mcp-protocol-version"] = "2026-07-28";
        request["headers"]!["mcp-method"] = "tools/call";
        request["headers"]!["mcp-name"] = Tool;
        request["body"] = call.ToJsonString();
        request["isBase64Encoded"] = false;

        var answer = await lambda.InvokeAsync(Encoding.UTF8.GetBytes(request.ToJsonString())).WaitAsync(TimeSpan.FromSeconds(60));
        Assert.True(answer.FunctionError is null, Encoding.UTF8.GetString(answer.Payload) + "\n" + function.Output);
        var response = JsonNode.Parse(answer.Payload)!;
        return JsonNode.Parse(response["body"]!.GetValue<string>())!;
    }
}
