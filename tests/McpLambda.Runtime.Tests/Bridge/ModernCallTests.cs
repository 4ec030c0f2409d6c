using System.Text.Json.Nodes;
using McpLambda.Runtime.Bridge;
using McpLambda.Runtime.JsonRpc;
using ModelContextProtocol.Protocol;

namespace McpLambda.Runtime.Tests.Bridge;

/// <summary>
/// A modern client's call on a legacy server ends at whichever the server wrote first: its answer, or a question for
/// the client. The server's messages are taken in order; how late the waiting side looks must not change the outcome.
/// </summary>
public sealed class ModernCallTests
{
    private static readonly ModernRequest SamplingOnly = new("2026-07-28", new JsonObject { ["sampling"] = new JsonObject() }, LogLevel: null);

    [Fact]
    public async Task A_question_asked_before_the_answer_pauses_the_call_even_when_both_are_in_before_it_looks()
    {
        var call = new ModernCall(SamplingOnly, mayAsk: true, []);
        Assert.True(call.TryTake(null!, Ask(1, "sampling/createMessage")));
        var answer = Task.FromResult<JsonRpcMessage>(new JsonRpcResponse { Id = new RequestId(9), Result = new JsonObject { ["isError"] = true } });

        Assert.Null(await call.NextAsync(answer, CancellationToken.None));
        Assert.Equal(["sampling/createMessage"], call.Pending.Select(p => p.Method));
    }

    [Fact]
    public async Task An_answer_with_no_question_before_it_ends_the_call()
    {
        var call = new ModernCall(SamplingOnly, mayAsk: true, []);
        var answer = Task.FromResult<JsonRpcMessage>(new JsonRpcResponse { Id = new RequestId(9), Result = new JsonObject() });

        Assert.Same(await answer, await call.NextAsync(answer, CancellationToken.None));
    }

    [Fact]
    public void A_question_for_a_capability_the_client_did_not_declare_is_not_taken()
    {
        var call = new ModernCall(SamplingOnly, mayAsk: true, []);

        Assert.False(call.TryTake(null!, Ask(1, RequestMethods.ElicitationCreate)));
        Assert.Empty(call.Pending);
    }

    [Fact]
    public async Task A_failed_call_whose_server_asked_only_for_undeclared_capabilities_needs_them()
    {
        var call = new ModernCall(new ModernRequest("2026-07-28", [], LogLevel: null), mayAsk: true, []);
        Assert.False(call.TryTake(null!, Ask(1, "sampling/createMessage")));
        Assert.False(call.TryTake(null!, Ask(2, RequestMethods.ElicitationCreate)));
        var failed = Answer(new JsonObject { ["isError"] = true });

        Assert.Same(await failed, await call.NextAsync(failed, CancellationToken.None));
        var required = call.MissingCapabilities(await failed);
        Assert.NotNull(required);
        Assert.Equal(["elicitation", "sampling"], required.Select(c => c.Key));
        Assert.All(required, c => Assert.Empty(Assert.IsType<JsonObject>(c.Value)));
        Assert.NotNull(call.MissingCapabilities(JsonRpcMessages.Error(new RequestId(9), -32603, "failed")));
    }

    [Fact]
    public void A_call_that_succeeds_without_the_refused_input_keeps_its_result()
    {
        var call = new ModernCall(new ModernRequest("2026-07-28", [], LogLevel: null), mayAsk: true, []);
        Assert.False(call.TryTake(null!, Ask(1, "roots/list")));

        Assert.Null(call.MissingCapabilities(new JsonRpcResponse { Id = new RequestId(9), Result = new JsonObject { ["isError"] = false } }));
    }

    [Fact]
    public async Task A_server_that_asks_a_declared_and_an_undeclared_capability_at_once_pauses_for_the_declared_one()
    {
        var call = new ModernCall(SamplingOnly, mayAsk: true, []);
        Assert.False(call.TryTake(null!, Ask(1, RequestMethods.ElicitationCreate)));
        Assert.True(call.TryTake(null!, Ask(2, "sampling/createMessage")));
        var failed = Answer(new JsonObject { ["isError"] = true });

        Assert.Null(await call.NextAsync(failed, CancellationToken.None));
        Assert.Equal(["sampling/createMessage"], call.Pending.Select(p => p.Method));
        Assert.Null(call.MissingCapabilities(await failed));
    }

    private static Task<JsonRpcMessage> Answer(JsonObject result) => Task.FromResult<JsonRpcMessage>(new JsonRpcResponse { Id = new RequestId(9), Result = result });

    private static JsonRpcRequest Ask(int id, string method)
        => new() { Id = new RequestId(id), Method = method, Params = new JsonObject { ["question"] = "?" } };
}
