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

    private static JsonRpcRequest Ask(int id, string method)
        => new() { Id = new RequestId(id), Method = method, Params = new JsonObject { ["question"] = "?" } };
}
