namespace McpLambda.Runtime.Bridge;

/// <summary><see cref="McpServerLifetime.Warm"/>: one server, started during init, serves every invocation until it dies.</summary>
internal sealed class WarmServerPolicy : ServerLifetimePolicy
{
    public static WarmServerPolicy Instance { get; } = new();

    public override bool KeepsServer => true;

    public override bool AnswersInitializeFromLastHandshake => false;

    public override ValueTask AfterInitStartAsync(StdioServerConnection connection) => ValueTask.CompletedTask;

    public override void AfterRequest(StdioServerConnection connection)
    {
    }
}
