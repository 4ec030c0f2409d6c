using McpLambda.Runtime.Invocations;
using ModelContextProtocol.Protocol;

namespace McpLambda.Runtime.Observability;

/// <summary>
/// Measures each request the dispatcher answers and keeps the measurement with its invocation, whose metrics are
/// written together when it ends (<see cref="Flush"/>); a request answered outside any invocation is written at once.
/// </summary>
internal sealed class RequestMetrics(EmbeddedMetricsWriter writer) : IMcpRequestObserver
{
    private readonly MetricDimensions _dimensions = new();

    public void Answered(JsonRpcRequest request, JsonRpcMessage? answer, TimeSpan elapsed, InvocationContext invocation)
    {
        var (errorClass, code) = ErrorClasses.Of(answer);
        var tool = request.Method == MetricDimensions.ToolsCall ? _dimensions.Tool(request.Params, answer is JsonRpcResponse) : null;
        var measurement = new RequestMeasurement(MetricDimensions.Method(request.Method), tool, elapsed.TotalMilliseconds, errorClass, code);
        if (invocation.RequestId is not null)
        {
            invocation.Add(measurement);
        }
        else
        {
            writer.Write([measurement], 0, null, null);
        }
    }

    /// <summary>Writes what <paramref name="invocation"/>'s requests measured.</summary>
    public void Flush(InvocationContext invocation) => writer.Write(invocation.Requests, invocation.ServerRestarts, invocation.RequestId, invocation.TraceId);
}
