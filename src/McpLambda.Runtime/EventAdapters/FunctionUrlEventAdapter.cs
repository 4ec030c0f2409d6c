using McpLambda.Runtime.Events;
using McpLambda.Runtime.Http;
using McpLambda.Runtime.Observability;

namespace McpLambda.Runtime.EventAdapters;

/// <summary>
/// Lambda function URL events (payload format 2.0). Behind <c>AWS_IAM</c> auth, Lambda has verified the
/// caller's SigV4 signature and names the caller in <c>requestContext.authorizer.iam</c>; that, never a
/// request header, is what the function logs as the caller.
/// </summary>
internal sealed class FunctionUrlEventAdapter : PayloadV2EventAdapter
{
    private FunctionUrlEventAdapter()
    {
    }

    /// <summary>The shared instance.</summary>
    public static FunctionUrlEventAdapter Instance { get; } = new();

    /// <inheritdoc/>
    public override string DisplayName => "Lambda function URL";

    private protected override Func<int, HttpHeaderCollection, byte[]> StreamPrelude => HttpIntegrationPrelude.PayloadV2;

    private protected override void OnRequest(HttpApiRequest model)
    {
        if (model.RequestContext?.Authorizer?.Iam is { } caller)
        {
            Log.Info($"function URL caller {caller.UserArn ?? caller.CallerId} (account {caller.AccountId}, request {model.RequestContext.RequestId})");
        }
    }
}
