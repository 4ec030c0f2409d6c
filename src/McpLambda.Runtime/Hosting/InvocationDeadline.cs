namespace McpLambda.Runtime.Hosting;

/// <summary>
/// The deadline of the invocation whose work runs in the current async flow (null outside one), for what must outlive a
/// call no longer than the call itself, such as a relayed server request's record.
/// </summary>
internal static class InvocationDeadline
{
    private static readonly AsyncLocal<DateTimeOffset?> Flowing = new();

    public static DateTimeOffset? Current
    {
        get => Flowing.Value;
        set => Flowing.Value = value;
    }
}
