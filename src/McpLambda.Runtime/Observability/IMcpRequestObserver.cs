using McpLambda.Runtime.Invocations;
using ModelContextProtocol.Protocol;

namespace McpLambda.Runtime.Observability;

/// <summary>The dispatcher's seam for measuring requests: told of each client request once it has its answer.</summary>
internal interface IMcpRequestObserver
{
    /// <param name="request">The client's request.</param>
    /// <param name="answer">Its response or error.</param>
    /// <param name="elapsed">From handing the request over to having the answer.</param>
    /// <param name="invocation">The invocation the request came in.</param>
    void Answered(JsonRpcRequest request, JsonRpcMessage? answer, TimeSpan elapsed, InvocationContext invocation);
}
