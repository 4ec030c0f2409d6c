using McpLambda.Runtime.EventAdapters;
using McpLambda.Runtime.Events;
using McpLambda.Runtime.Http;
using McpLambda.Runtime.Invocations;
using McpLambda.Runtime.JsonRpc;
using McpLambda.Runtime.RuntimeApi;
using McpLambda.Runtime.StreamableHttp;
using ModelContextProtocol.Protocol;

namespace McpLambda;

/// <summary>
/// Calls into the runtime's layers with only a cancellation token, as tests mostly have (in the root namespace, so that
/// every test project finds them without a using): the invocation is the one the
/// test entered (its ids, with this token), else one outside any Lambda invocation.
/// </summary>
internal static class InvocationCalls
{
    /// <summary>The invocation a call with <paramref name="cancellationToken"/> runs in.</summary>
    public static InvocationContext For(CancellationToken cancellationToken)
        => InvocationContext.Current is { } entered
            ? new InvocationContext(entered.RequestId, entered.TraceId, entered.AnswerBy, cancellationToken)
            : InvocationContext.Outside(cancellationToken);

    public static ValueTask<JsonRpcMessage?> HandleAsync(this IMcpMessageHandler handler, JsonRpcMessage message, CancellationToken cancellationToken)
        => handler.HandleAsync(message, null, For(cancellationToken));

    public static ValueTask<JsonRpcMessage?> HandleAsync(this IMcpMessageHandler handler, JsonRpcMessage message, IClientMessageSink? client, CancellationToken cancellationToken)
        => handler.HandleAsync(message, client, For(cancellationToken));

    public static ValueTask<JsonRpcMessage?> DispatchAsync(this McpMessageDispatcher dispatcher, JsonRpcMessage message, CancellationToken cancellationToken)
        => dispatcher.DispatchAsync(message, For(cancellationToken));

    public static ValueTask<JsonRpcAnswers> DispatchAsync(this McpMessageDispatcher dispatcher, JsonRpcBody body, CancellationToken cancellationToken)
        => dispatcher.DispatchAsync(body, null, For(cancellationToken));

    public static ValueTask<BufferedHttpResponse> HandleAsync(this StreamableHttpHandler http, BufferedHttpRequest request, CancellationToken cancellationToken)
        => http.HandleAsync(request, For(cancellationToken));

    /// <summary>The whole answer, as a buffered response event carries it (its body escaped into a JSON string).</summary>
    public static async ValueTask<BufferedHttpResponse> HandleAsync(this StreamableHttpHandler http, BufferedHttpRequest request, InvocationContext invocation)
    {
        var buffer = new BufferingResponseWriter(EventBody.SizeOf);
        await http.HandleAsync(request, buffer, invocation);
        return buffer.Response;
    }

    public static Task HandleAsync(this StreamableHttpHandler http, BufferedHttpRequest request, IHttpResponseWriter response, CancellationToken cancellationToken)
        => http.HandleAsync(request, response, For(cancellationToken));

    public static ValueTask<byte[]> HandleAsync(this LambdaEventAdapter adapter, LambdaInvocation invocation, McpHandlers handlers, CancellationToken cancellationToken)
        => adapter.HandleAsync(invocation, handlers, For(cancellationToken));
}
