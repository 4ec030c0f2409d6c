using System.Text;
using CsCheck;
using McpLambda.Runtime.AgentCore;

namespace McpLambda.Runtime.Tests.Fuzzing;

/// <summary>
/// One AgentCore Gateway invocation: the tool's arguments as the event (any JSON, or none, or not JSON) and a
/// client context that names the tool, or is missing, malformed or of the wrong shape.
/// </summary>
/// <param name="Event">The event bytes.</param>
/// <param name="ArgumentsValid">Whether the event is an object, empty or <c>null</c> (no arguments).</param>
/// <param name="ClientContext">The client context.</param>
/// <param name="ToolAnswers">Whether the context names a tool the handler answers with a successful result.</param>
internal sealed record AgentCoreFuzzCase(byte[] Event, bool ArgumentsValid, string? ClientContext, bool ToolAnswers)
{
    private static readonly Gen<(byte[], bool)> Arguments = Gen.Frequency<(byte[], bool)>(
        (6, JsonGenerators.Object(3).Select(o => (Encoding.UTF8.GetBytes(o.ToJsonString()), true))),
        (1, Gen.OneOf("", " ", "null", "\n").Select(s => (Encoding.UTF8.GetBytes(s), true))),
        (2, JsonGenerators.Value(2).Where(v => v is not System.Text.Json.Nodes.JsonObject and not null).Select(v => (Encoding.UTF8.GetBytes(v!.ToJsonString()), false))),
        (1, Gen.OneOf("{", "[1,", "nope", "{\"a\":}").Select(s => (Encoding.UTF8.GetBytes(s), false))),
        (1, Gen.Byte.Array[1, 32].Where(b => b.Any(x => x > 0x20)).Select(b => (b, false))));

    private static readonly Gen<(string?, bool)> Contexts = Gen.Frequency<(string?, bool)>(
        (6, Gen.OneOf("target___echo", "t___get-sum", "a___b___c", "target___" + EchoMessageHandler.FailingTool)
            .Select(name => ((string?)AgentCoreGatewayEventAdapter.CreateClientContext(name), !name.EndsWith(EchoMessageHandler.FailingTool, StringComparison.Ordinal)))),
        (2, Gen.OneOf<string?>(null, "", "{", "[]", "{\"custom\":null}", "{\"custom\":{\"bedrockAgentCoreToolName\":7}}",
            "{\"custom\":{\"bedrockAgentCoreToolName\":\"no-prefix\"}}", "{\"custom\":{\"bedrockAgentCoreToolName\":\"___\"}}", "{\"custom\":{}}", "\"text\"")
            .Select(c => (c, false))));

    public static readonly Gen<AgentCoreFuzzCase> Generator =
        from arguments in Arguments
        from context in Contexts
        select new AgentCoreFuzzCase(arguments.Item1, arguments.Item2, context.Item1, context.Item2);

    public override string ToString() => $"context={ClientContext} event={Encoding.UTF8.GetString(Event)}";
}
