namespace McpLambda;

/// <summary>
/// Declares how MCP clients reach the function. Apply once per way in; several transports on
/// one class are accepted only where their events can be told apart safely.
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class McpTransportAttribute : Attribute
{
    /// <summary>Declares <paramref name="kind"/> as a way in to this function.</summary>
    /// <param name="kind">The event source in front of the function.</param>
    public McpTransportAttribute(McpTransport kind) => Kind = kind;

    /// <summary>The event source in front of the function.</summary>
    public McpTransport Kind { get; }
}
