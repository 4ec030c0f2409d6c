using Amazon;
using Amazon.Runtime;
using Amazon.Runtime.Credentials;
using Amazon.Runtime.Signing;

namespace McpLambda.Client;

/// <summary>Credentials, regions and the SigV4 pipeline, all from AWSSDK.Core.</summary>
internal static class AwsSigning
{
    /// <summary>The given credentials, or the SDK's default chain.</summary>
    public static AWSCredentials ResolveCredentials(AWSCredentials? credentials)
    {
        if (credentials is not null)
        {
            return credentials;
        }

        try
        {
            return DefaultAWSCredentialsIdentityResolver.GetCredentials(null);
        }
        catch (AmazonClientException ex)
        {
            throw new InvalidOperationException(
                "No AWS credentials were found by the default chain (environment variables, shared profiles, SSO, container or instance roles). Configure credentials or pass them explicitly.",
                ex);
        }
    }

    /// <summary>
    /// An HTTP pipeline that signs every request with SigV4 for <paramref name="service"/> in <paramref name="region"/>.
    /// The signing handler hashes the body and sends it as <c>x-amz-content-sha256</c>. Redirects are not followed
    /// below the signer (a redirected request would carry a stale signature).
    /// </summary>
    public static HttpMessageHandler CreateSigningPipeline(AWSCredentials credentials, RegionEndpoint region, string service, HttpMessageHandler? innerHandler)
    {
        SignedEndpointPolicy.RequireNoRedirects(innerHandler, nameof(innerHandler));
        HttpMessageHandler inner = innerHandler is null ? new SocketsHttpHandler { AllowAutoRedirect = false } : new NonDisposingHandler(innerHandler);
        return new SigV4SigningHandler(new AWSSigV4Parameters { Credentials = credentials, Region = region, Service = service, SignPayload = true }, inner);
    }

    /// <summary>The region named in a full Lambda ARN (<c>arn:aws:lambda:us-west-2:…</c>), if it is one.</summary>
    public static string? RegionFromArn(string functionName)
    {
        var parts = functionName.Split(':');
        return parts.Length >= 4 && parts[0] == "arn" && parts[2] == "lambda" && parts[3].Length > 0 ? parts[3] : null;
    }

    /// <summary>The configured region, else the ARN's, else <c>AWS_REGION</c> / <c>AWS_DEFAULT_REGION</c>.</summary>
    public static RegionEndpoint ResolveRegion(RegionEndpoint? region, string? functionName)
    {
        var name = region?.SystemName
            ?? (functionName is null ? null : RegionFromArn(functionName))
            ?? NonEmpty(Environment.GetEnvironmentVariable("AWS_REGION"))
            ?? NonEmpty(Environment.GetEnvironmentVariable("AWS_DEFAULT_REGION"));
        return name is null
            ? throw new InvalidOperationException("No AWS region: set the Region option, use a full function ARN, or set AWS_REGION.")
            : region ?? RegionEndpoint.GetBySystemName(name);
    }

    private static string? NonEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;

    /// <summary>Hands requests to a handler the caller owns, without disposing it.</summary>
    private sealed class NonDisposingHandler(HttpMessageHandler inner) : DelegatingHandler(inner)
    {
        protected override void Dispose(bool disposing)
        {
            // The caller owns the inner handler; leave it open.
        }
    }
}
