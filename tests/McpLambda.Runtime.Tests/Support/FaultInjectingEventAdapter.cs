using McpLambda.Runtime.EventAdapters;
using McpLambda.Runtime.Http;
using McpLambda.Runtime.Invocations;
using McpLambda.Runtime.RuntimeApi;

namespace McpLambda.Runtime.Tests.Support;

/// <summary>
/// The real API Gateway REST transport, except that an event equal to <see cref="Marker"/> makes it
/// throw, as a transport with a bug would: lets the loop's error path be driven on demand.
/// </summary>
internal sealed class FaultInjectingEventAdapter : LambdaEventAdapter
{
    public static readonly byte[] Marker = """{"faultInjection":"throw"}"""u8.ToArray();

    public const string FaultMessage = "injected transport fault";

    private readonly LambdaEventAdapter _inner = ApiGatewayRestEventAdapter.Instance;

    public override string DisplayName => "fault injection over " + _inner.DisplayName;

    internal override ValueTask<byte[]> HandleAsync(LambdaInvocation invocation, McpHandlers pipeline, InvocationContext context)
        => invocation.Event.Span.SequenceEqual(Marker)
            ? throw new InvalidOperationException(FaultMessage)
            : _inner.HandleAsync(invocation, pipeline, context);

    internal override bool Accepts(LambdaInvocation invocation, EventShape shape) => _inner.Accepts(invocation, shape);

    internal override byte[] CreateLocalEvent(BufferedHttpRequest request, out string? clientContext) => _inner.CreateLocalEvent(request, out clientContext);

    internal override BufferedHttpResponse ReadLocalResponse(ReadOnlySpan<byte> payload) => _inner.ReadLocalResponse(payload);
}
