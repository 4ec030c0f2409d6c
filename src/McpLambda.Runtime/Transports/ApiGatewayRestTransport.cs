namespace McpLambda.Runtime.Transports;

/// <summary>API Gateway REST API proxy events (payload format 1.0).</summary>
public sealed class ApiGatewayRestTransport : LambdaEventTransport
{
    /// <summary>The shared instance.</summary>
    public static ApiGatewayRestTransport Instance { get; } = new();
}
