using Amazon;
using Amazon.Runtime;

namespace McpLambda.Client;

/// <summary>Options for <see cref="LambdaFunctionClientTransport"/>: which function to invoke, where, and as whom.</summary>
public sealed class LambdaFunctionClientTransportOptions
{
    /// <summary>Lambda's limit for a synchronous (<c>RequestResponse</c>) request payload: 6 MB.</summary>
    public const int DefaultMaxPayloadBytes = 6 * 1024 * 1024;

    /// <summary>
    /// The function: a name (<c>my-function</c>), a partial ARN (<c>123456789012:function:my-function</c>) or a
    /// full ARN, optionally with a version or alias suffix. Required.
    /// </summary>
    public string FunctionName { get; set; } = "";

    /// <summary>A version or alias to invoke, sent as the <c>Qualifier</c> query parameter. Null invokes <c>$LATEST</c> (or the ARN's own qualifier).</summary>
    public string? Qualifier { get; set; }

    /// <summary>
    /// The region to call and sign for. When null, the region of a full ARN in <see cref="FunctionName"/> is used,
    /// then the <c>AWS_REGION</c> and <c>AWS_DEFAULT_REGION</c> environment variables.
    /// </summary>
    public RegionEndpoint? Region { get; set; }

    /// <summary>The region by its system name, e.g. <c>us-west-2</c>; the same setting as <see cref="Region"/>.</summary>
    public string? RegionName
    {
        get => Region?.SystemName;
        set => Region = string.IsNullOrWhiteSpace(value) ? null : RegionEndpoint.GetBySystemName(value);
    }

    /// <summary>
    /// The credentials to sign with. When null, the AWS SDK's default chain is used (environment variables,
    /// shared profiles, SSO, container and instance roles), resolved when the transport connects.
    /// </summary>
    public AWSCredentials? Credentials { get; set; }

    /// <summary>
    /// The Lambda API endpoint. When null, <c>https://lambda.{region}.{partition DNS suffix}</c>. Set it for a
    /// VPC endpoint, a FIPS endpoint or a local emulation such as <c>http://127.0.0.1:9001</c>. It must be https;
    /// plain http is accepted only for a loopback host.
    /// </summary>
    public Uri? Endpoint { get; set; }

    /// <summary>
    /// How many times a throttled (429) invocation, or one that failed (5xx) for a message that is safe to repeat, is
    /// retried; 0 disables retries. Default 3. A 5xx is retried only for notifications and for requests that read or
    /// set a value (<c>ping</c>, <c>initialize</c>, the lists, <c>resources/read</c>, <c>prompts/get</c>,
    /// <c>completion/complete</c>, <c>logging/setLevel</c>): a <c>tools/call</c> may have run, so it is not.
    /// </summary>
    public int MaxRetries { get; set; } = 3;

    /// <summary>The base of the exponential back-off between retries (each wait is a random time up to base × 2^attempt). Default 100 ms.</summary>
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromMilliseconds(100);

    /// <summary>The longest single wait between retries. Default 10 s.</summary>
    public TimeSpan RetryMaxDelay { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// The largest request payload sent; a larger JSON-RPC message is refused before any request is made.
    /// Default <see cref="DefaultMaxPayloadBytes"/> (Lambda's synchronous invocation limit).
    /// </summary>
    public int MaxPayloadBytes { get; set; } = DefaultMaxPayloadBytes;

    /// <summary>
    /// The client context passed to the function (a JSON object; sent base64-encoded as <c>X-Amz-Client-Context</c>,
    /// which Lambda limits to 3,583 bytes). Null sends none.
    /// </summary>
    public string? ClientContext { get; set; }

    /// <summary>
    /// Whether to ask Lambda for the last 4 KB of the invocation's log (<c>X-Amz-Log-Type: Tail</c>); the log is
    /// attached to <see cref="LambdaFunctionException.LogTail"/> when the function fails. Default false.
    /// </summary>
    public bool IncludeLogTail { get; set; }

    /// <summary>How long one Invoke call may take, including the function's run time. Default 15 minutes (Lambda's maximum timeout).</summary>
    public TimeSpan InvokeTimeout { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>
    /// Called with the error whenever an invocation ends in a function error (<c>X-Amz-Function-Error</c>),
    /// including for requests, whose callers receive a JSON-RPC error instead of the exception.
    /// </summary>
    public Action<LambdaFunctionException>? OnFunctionError { get; set; }

    /// <summary>A name for logs. Default: <c>lambda:{FunctionName}</c>.</summary>
    public string? Name { get; set; }
}
