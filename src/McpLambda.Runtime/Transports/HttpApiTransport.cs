namespace McpLambda.Runtime.Transports;

/// <summary>API Gateway HTTP API events (payload format 2.0).</summary>
public sealed class HttpApiTransport : PayloadV2Transport
{
    private HttpApiTransport()
    {
    }

    /// <summary>The shared instance.</summary>
    public static HttpApiTransport Instance { get; } = new();

    /// <inheritdoc/>
    public override string DisplayName => "API Gateway HTTP API";
}
