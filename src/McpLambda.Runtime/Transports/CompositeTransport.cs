using McpLambda.Runtime.Hosting;
using McpLambda.Runtime.Http;

namespace McpLambda.Runtime.Transports;

/// <summary>
/// A function with several ways in: each event goes to the first transport that recognises its shape.
/// Transports matched by the client context (AgentCore) are asked first, since their event is free-form.
/// </summary>
public sealed class CompositeTransport : LambdaEventTransport
{
    private readonly LambdaEventTransport[] _transports;

    /// <summary>Combines <paramref name="transports"/>; the first one also serves local mode.</summary>
    public CompositeTransport(params LambdaEventTransport[] transports)
    {
        if (transports is not { Length: > 0 })
        {
            throw new ArgumentException("Give at least one transport.", nameof(transports));
        }

        _transports = [.. transports.OrderByDescending(t => t.MatchesOnClientContext)];
        DisplayName = string.Join(" + ", transports.Select(t => t.DisplayName));
        LocalTransport = transports[0];
    }

    /// <inheritdoc/>
    public override string DisplayName { get; }

    private LambdaEventTransport LocalTransport { get; }

    /// <inheritdoc/>
    public override bool Accepts(LambdaInvocation invocation, EventShape shape) => _transports.Any(t => t.Accepts(invocation, shape));

    /// <inheritdoc/>
    public override ValueTask<byte[]> HandleAsync(LambdaInvocation invocation, FunctionPipeline pipeline, CancellationToken cancellationToken)
    {
        var shape = EventShape.Read(invocation.Event.Span);
        foreach (var transport in _transports)
        {
            if (transport.Accepts(invocation, shape))
            {
                return transport.HandleAsync(invocation, pipeline, cancellationToken);
            }
        }

        throw new EventFormatException($"The event is none of this function's kinds ({DisplayName}).");
    }

    /// <inheritdoc/>
    public override byte[] CreateLocalEvent(McpHttpRequest request, out string? clientContext) => LocalTransport.CreateLocalEvent(request, out clientContext);

    /// <inheritdoc/>
    public override McpHttpResponse ReadLocalResponse(ReadOnlySpan<byte> payload) => LocalTransport.ReadLocalResponse(payload);
}
