namespace McpLambda.Runtime.EventAdapters;

/// <summary>API Gateway HTTP API events (payload format 2.0).</summary>
internal sealed class HttpApiEventAdapter : PayloadV2EventAdapter
{
    private HttpApiEventAdapter()
    {
    }

    /// <summary>The shared instance.</summary>
    public static HttpApiEventAdapter Instance { get; } = new();

    /// <inheritdoc/>
    public override string DisplayName => "API Gateway HTTP API";
}
