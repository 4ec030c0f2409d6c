using McpLambda.Runtime.Http;
using McpLambda.Runtime.RuntimeApi;
using McpLambda.Runtime.Invocations;

namespace McpLambda.Runtime.EventAdapters;

/// <summary>
/// A function with several ways in: each event goes to the first adapter that recognises its shape.
/// Adapters matched by the client context (AgentCore) are asked first, since their event is free-form.
/// </summary>
internal sealed class CompositeEventAdapter : LambdaEventAdapter
{
    private readonly LambdaEventAdapter[] _adapters;

    /// <summary>Combines <paramref name="adapters"/>; the first one also serves local mode.</summary>
    public CompositeEventAdapter(params LambdaEventAdapter[] adapters)
    {
        if (adapters is not { Length: > 0 })
        {
            throw new ArgumentException("Give at least one event adapter.", nameof(adapters));
        }

        _adapters = [.. adapters.OrderByDescending(t => t.MatchesOnClientContext)];
        DisplayName = string.Join(" + ", adapters.Select(t => t.DisplayName));
        LocalAdapter = adapters[0];
    }

    /// <inheritdoc/>
    public override string DisplayName { get; }

    private LambdaEventAdapter LocalAdapter { get; }

    /// <inheritdoc/>
    internal override bool Accepts(LambdaInvocation invocation, EventShape shape) => _adapters.Any(t => t.Accepts(invocation, shape));

    /// <inheritdoc/>
    internal override ValueTask<byte[]> HandleAsync(LambdaInvocation invocation, McpHandlers handlers, InvocationContext context)
        => For(invocation).HandleAsync(invocation, handlers, context);

    /// <inheritdoc/>
    internal override bool CanStream(LambdaInvocation invocation)
    {
        try
        {
            return For(invocation).CanStream(invocation);
        }
        catch (EventFormatException)
        {
            // Answered (with the error) by HandleAsync.
            return false;
        }
    }

    /// <inheritdoc/>
    internal override Task StreamAsync(LambdaInvocation invocation, McpHandlers handlers, RuntimeApiResponseStream response, InvocationContext context)
        => For(invocation).StreamAsync(invocation, handlers, response, context);

    /// <inheritdoc/>
    /// <remarks>An event none of the adapters recognises stays with this one, which answers it with the format error.</remarks>
    internal override LambdaEventAdapter WayInOf(LambdaInvocation invocation)
    {
        try
        {
            return Recognising(invocation) ?? this;
        }
        catch (EventFormatException)
        {
            return this;
        }
    }

    private LambdaEventAdapter? Recognising(LambdaInvocation invocation)
    {
        var shape = EventShape.Read(invocation.Event.Span);
        return _adapters.FirstOrDefault(adapter => adapter.Accepts(invocation, shape));
    }

    private LambdaEventAdapter For(LambdaInvocation invocation)
        => Recognising(invocation) ?? throw new EventFormatException($"The event is none of this function's kinds ({DisplayName}).");

    /// <inheritdoc/>
    internal override bool LocalRequestsNeedJsonContent => LocalAdapter.LocalRequestsNeedJsonContent;

    /// <inheritdoc/>
    internal override byte[] CreateLocalEvent(BufferedHttpRequest request, out string? clientContext) => LocalAdapter.CreateLocalEvent(request, out clientContext);

    /// <inheritdoc/>
    internal override BufferedHttpResponse ReadLocalResponse(ReadOnlySpan<byte> payload) => LocalAdapter.ReadLocalResponse(payload);
}
