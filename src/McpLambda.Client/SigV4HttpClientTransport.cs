using Amazon;
using Amazon.Runtime;
using Microsoft.Extensions.Logging;
using ModelContextProtocol.Client;

namespace McpLambda.Client;

/// <summary>
/// Streamable HTTP with AWS SigV4: the MCP SDK's <see cref="HttpClientTransport"/> over an
/// <see cref="HttpClient"/> whose pipeline signs every request (body included, as
/// <c>x-amz-content-sha256</c>) with AWSSDK.Core's <see cref="Amazon.Runtime.Signing.SigV4SigningHandler"/>.
/// For Lambda function URLs with <c>AWS_IAM</c> auth (service <c>lambda</c>) and API Gateway routes with IAM
/// authorization (service <c>execute-api</c>).
/// </summary>
public static class SigV4HttpClientTransport
{
    /// <summary>The signing service of Lambda function URLs.</summary>
    public const string LambdaService = "lambda";

    /// <summary>The signing service of API Gateway.</summary>
    public const string ApiGatewayService = "execute-api";

    /// <summary>Creates a Streamable HTTP client transport that signs its requests.</summary>
    /// <param name="endpoint">The MCP endpoint, e.g. <c>https://abc123.lambda-url.us-west-2.on.aws/</c>.</param>
    /// <param name="region">The region to sign for, e.g. <c>us-west-2</c>.</param>
    /// <param name="service">The signing service: <see cref="LambdaService"/> or <see cref="ApiGatewayService"/>.</param>
    /// <param name="credentials">The credentials; null resolves the AWS SDK's default chain now.</param>
    /// <param name="options">
    /// Further transport options (name, headers, session handling); <see cref="HttpClientTransportOptions.Endpoint"/>
    /// is set from <paramref name="endpoint"/>, and the mode defaults to Streamable HTTP.
    /// </param>
    /// <param name="httpHandler">The handler below the signer that sends requests; null uses a <see cref="SocketsHttpHandler"/> that does not follow redirects. The caller keeps ownership of a handler passed here.</param>
    /// <param name="loggerFactory">For the SDK transport's logs.</param>
    /// <returns>A transport for <see cref="McpClient.CreateAsync(IClientTransport, McpClientOptions?, ILoggerFactory?, CancellationToken)"/>; it owns its signing <see cref="HttpClient"/>.</returns>
    [System.Diagnostics.CodeAnalysis.SuppressMessage("ApiDesign", "RS0026:Do not add multiple public overloads with optional parameters", Justification = "The overloads differ in the region's type (a name or a RegionEndpoint), so no call is ambiguous.")]
    public static HttpClientTransport Create(
        Uri endpoint,
        string region,
        string service = LambdaService,
        AWSCredentials? credentials = null,
        HttpClientTransportOptions? options = null,
        HttpMessageHandler? httpHandler = null,
        ILoggerFactory? loggerFactory = null)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        ArgumentException.ThrowIfNullOrWhiteSpace(region);
        return Create(endpoint, RegionEndpoint.GetBySystemName(region), service, credentials, options, httpHandler, loggerFactory);
    }

    /// <inheritdoc cref="Create(Uri, string, string, AWSCredentials?, HttpClientTransportOptions?, HttpMessageHandler?, ILoggerFactory?)"/>
    [System.Diagnostics.CodeAnalysis.SuppressMessage("ApiDesign", "RS0026:Do not add multiple public overloads with optional parameters", Justification = "The overloads differ in the region's type (a name or a RegionEndpoint), so no call is ambiguous.")]
    public static HttpClientTransport Create(
        Uri endpoint,
        RegionEndpoint region,
        string service = LambdaService,
        AWSCredentials? credentials = null,
        HttpClientTransportOptions? options = null,
        HttpMessageHandler? httpHandler = null,
        ILoggerFactory? loggerFactory = null)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        ArgumentNullException.ThrowIfNull(region);
        ArgumentException.ThrowIfNullOrWhiteSpace(service);
        SignedEndpointPolicy.RequireSecure(endpoint, nameof(endpoint));
        var transportOptions = options ?? new HttpClientTransportOptions { Endpoint = endpoint, TransportMode = HttpTransportMode.StreamableHttp };
        transportOptions.Endpoint = endpoint;
        var http = CreateHttpClient(region, service, credentials, httpHandler);
        return new HttpClientTransport(transportOptions, http, loggerFactory, ownsHttpClient: true);
    }

    /// <summary>
    /// An <see cref="HttpClient"/> that signs every request with SigV4, for use with
    /// <see cref="HttpClientTransport"/> or any other HTTP code.
    /// </summary>
    /// <param name="region">The region to sign for.</param>
    /// <param name="service">The signing service.</param>
    /// <param name="credentials">The credentials; null resolves the AWS SDK's default chain now.</param>
    /// <param name="httpHandler">The handler below the signer; null uses a <see cref="SocketsHttpHandler"/> that does not follow redirects. The caller keeps ownership of a handler passed here.</param>
    public static HttpClient CreateHttpClient(RegionEndpoint region, string service = LambdaService, AWSCredentials? credentials = null, HttpMessageHandler? httpHandler = null)
    {
        ArgumentNullException.ThrowIfNull(region);
        ArgumentException.ThrowIfNullOrWhiteSpace(service);
        // A request may last as long as the function does (up to 15 minutes), not HttpClient's default 100 seconds.
        return new HttpClient(AwsSigning.CreateSigningPipeline(AwsSigning.ResolveCredentials(credentials), region, service, httpHandler))
        {
            Timeout = TimeSpan.FromMinutes(15),
        };
    }
}
