namespace McpLambda.Runtime.Transports;

/// <summary>Translates one kind of Lambda event into MCP traffic and the answer back into the event's response.</summary>
public abstract class LambdaEventTransport
{
}
