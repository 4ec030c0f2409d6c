using Amazon;
using Microsoft.Extensions.Logging;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;

namespace McpLambda.Client;

/// <summary>
/// Reaches an MCP server hosted in a Lambda function through the Lambda Invoke API: each JSON-RPC message
/// the client sends becomes one synchronous (<c>RequestResponse</c>) Invoke call, signed with SigV4 by
/// AWSSDK.Core, and the function's response (a JSON-RPC message, a batch, or <c>{}</c> for a notification)
/// is delivered back to the client.
/// </summary>
/// <remarks>
/// <para>
/// Errors: a throttled (429) or failed (5xx) call is retried with jittered exponential back-off up to
/// <see cref="LambdaFunctionClientTransportOptions.MaxRetries"/> times; other failures raise
/// <see cref="LambdaInvokeException"/> from the send. A message larger than
/// <see cref="LambdaFunctionClientTransportOptions.MaxPayloadBytes"/> raises
/// <see cref="LambdaPayloadTooLargeException"/> without any call being made.
/// </para>
/// <para>
/// When the function itself fails (<c>X-Amz-Function-Error</c>), the session stays open: a request is answered
/// with a JSON-RPC error (code -32603, the function's <c>errorType</c> and <c>errorMessage</c> in its message
/// and <c>data</c>), so an awaiting <see cref="McpClient"/> call fails with an <c>McpProtocolException</c>
/// instead of waiting forever; a notification's send throws <see cref="LambdaFunctionException"/>. Both cases
/// report the <see cref="LambdaFunctionException"/> to
/// <see cref="LambdaFunctionClientTransportOptions.OnFunctionError"/>.
/// </para>
/// </remarks>
public sealed class LambdaFunctionClientTransport : IClientTransport
{
    private readonly LambdaFunctionClientTransportOptions _options;
    private readonly HttpMessageHandler? _httpHandler;
    private readonly ILoggerFactory? _loggerFactory;

    /// <summary>Creates the transport.</summary>
    /// <param name="options">The function and how to reach it.</param>
    /// <param name="httpHandler">
    /// The handler that sends the signed requests (below the SigV4 signer); null uses a <see cref="SocketsHttpHandler"/>.
    /// The caller keeps ownership of a handler passed here.
    /// </param>
    /// <param name="loggerFactory">Logs retries and function errors.</param>
    public LambdaFunctionClientTransport(LambdaFunctionClientTransportOptions options, HttpMessageHandler? httpHandler = null, ILoggerFactory? loggerFactory = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (string.IsNullOrWhiteSpace(options.FunctionName))
        {
            throw new ArgumentException("FunctionName is required: a function name or ARN.", nameof(options));
        }

        ArgumentOutOfRangeException.ThrowIfNegative(options.MaxRetries, nameof(options.MaxRetries));
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(options.MaxPayloadBytes, nameof(options.MaxPayloadBytes));
        if (options.Endpoint is { } endpoint)
        {
            SignedEndpointPolicy.RequireSecure(endpoint, nameof(options));
        }

        SignedEndpointPolicy.RequireNoRedirects(httpHandler, nameof(httpHandler));

        _options = options;
        _httpHandler = httpHandler;
        _loggerFactory = loggerFactory;
        Name = options.Name ?? "lambda:" + options.FunctionName;
    }

    /// <inheritdoc/>
    public string Name { get; }

    /// <summary>The Invoke URL for the configured function, endpoint and qualifier.</summary>
    public Uri InvokeUri => BuildInvokeUri(ResolveEndpoint(AwsSigning.ResolveRegion(_options.Region, _options.FunctionName)));

    /// <summary>
    /// Resolves the region and credentials (the default chain when none are set) and opens a session.
    /// No call is made to Lambda until the first message is sent.
    /// </summary>
    public Task<ITransport> ConnectAsync(CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var region = AwsSigning.ResolveRegion(_options.Region, _options.FunctionName);
        var credentials = AwsSigning.ResolveCredentials(_options.Credentials);
        var http = new HttpClient(AwsSigning.CreateSigningPipeline(credentials, region, "lambda", _httpHandler))
        {
            Timeout = _options.InvokeTimeout,
        };
        ITransport session = new LambdaFunctionSessionTransport(Name, _options, http, BuildInvokeUri(ResolveEndpoint(region)), _loggerFactory);
        return Task.FromResult(session);
    }

    private Uri ResolveEndpoint(RegionEndpoint region)
        => _options.Endpoint ?? new Uri($"https://lambda.{region.SystemName}.{region.PartitionDnsSuffix ?? "amazonaws.com"}");

    private Uri BuildInvokeUri(Uri endpoint)
    {
        var root = endpoint.GetLeftPart(UriPartial.Path).TrimEnd('/');
        var uri = $"{root}/2015-03-31/functions/{Uri.EscapeDataString(_options.FunctionName)}/invocations";
        if (!string.IsNullOrEmpty(_options.Qualifier))
        {
            uri += "?Qualifier=" + Uri.EscapeDataString(_options.Qualifier);
        }

        return new Uri(uri);
    }
}
