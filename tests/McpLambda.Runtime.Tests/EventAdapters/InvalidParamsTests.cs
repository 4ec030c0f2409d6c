using System.Text;
using System.Text.Json;
using McpLambda.Runtime.EventAdapters;
using McpLambda.Runtime.RuntimeApi;
using McpLambda.Tests;

namespace McpLambda.Runtime.Tests.EventAdapters;

/// <summary>Params the runtime reads itself (those of <c>initialize</c>) must be an object; others are answered -32602, that message only.</summary>
public sealed class InvalidParamsTests(EverythingServerFixture server) : IClassFixture<EverythingServerFixture>
{
    [Theory]
    [InlineData("[]")]
    [InlineData("[\"2025-06-18\"]")]
    [InlineData("\"2025-06-18\"")]
    [InlineData("42")]
    public async Task Initialize_with_params_that_are_not_an_object_gets_invalid_params_and_the_rest_of_the_batch_its_answers(string parameters)
    {
        var batch = $$"""[{"jsonrpc":"2.0","id":1,"method":"initialize","params":{{parameters}}},{"jsonrpc":"2.0","id":2,"method":"ping"}]""";

        var payload = await LambdaInvokeEventAdapter.Instance.HandleAsync(
            new LambdaInvocation("r", DateTimeOffset.UtcNow.AddMinutes(1), null, null, null, null, Encoding.UTF8.GetBytes(batch)),
            new McpHandlers(server.Bridge), CancellationToken.None);

        using var answers = JsonDocument.Parse(payload);
        var items = answers.RootElement.EnumerateArray().ToArray();
        Assert.Equal(2, items.Length);
        Assert.Equal(1, items[0].GetProperty("id").GetInt32());
        Assert.Equal(-32602, items[0].GetProperty("error").GetProperty("code").GetInt32());
        Assert.Contains("object", items[0].GetProperty("error").GetProperty("message").GetString());
        Assert.Equal(2, items[1].GetProperty("id").GetInt32());
        Assert.True(items[1].TryGetProperty("result", out _));
    }

    [Fact]
    public async Task Initialize_without_params_or_with_an_object_is_answered()
    {
        var dispatcher = new McpHandlers(server.Bridge).Dispatcher;
        var single = """{"jsonrpc":"2.0","id":"a","method":"initialize","params":{"protocolVersion":"2025-03-26","capabilities":{},"clientInfo":{"name":"t","version":"1"}}}""";

        var answers = await dispatcher.DispatchAsync(dispatcher.Read(Encoding.UTF8.GetBytes(single), "2025-03-26"), CancellationToken.None);

        Assert.IsType<ModelContextProtocol.Protocol.JsonRpcResponse>(Assert.Single(answers.Messages));
    }
}
