using McpLambda.Runtime.Observability;

namespace McpLambda.Runtime.Bridge;

/// <summary><see cref="McpServerLifetime.PerInvocation"/>: each request gets a fresh server, stopped once it has answered.</summary>
internal sealed class PerInvocationServerPolicy : ServerLifetimePolicy
{
    public static PerInvocationServerPolicy Instance { get; } = new();

    public override bool KeepsServer => false;

    public override bool AnswersInitializeFromLastHandshake => true;

    public override ValueTask AfterInitStartAsync(StdioServerConnection connection) => connection.DisposeAsync();

    /// <summary>The answer is ready: stop the server after it goes out rather than make the caller wait for the exit.</summary>
    public override void AfterRequest(StdioServerConnection connection) => _ = StopInBackgroundAsync(connection);

    private static async Task StopInBackgroundAsync(StdioServerConnection connection)
    {
        await Task.Yield();
        try
        {
            await connection.DisposeAsync().ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            Log.Warn("stopping a per-invocation server failed: " + ex.Message);
        }
    }
}
