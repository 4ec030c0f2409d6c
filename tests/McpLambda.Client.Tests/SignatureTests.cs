using System.Collections.Specialized;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Amazon.Runtime;
using Amazon.Runtime.Signing;

namespace McpLambda.Client.Tests;

/// <summary>The emulations' SigV4 checks against requests signed by AWSSDK.Core's signing handler.</summary>
[Collection(LambdaCollection.Name)]
public sealed class SignatureTests(LambdaFixture lambda)
{
    private const string Ping = """{"jsonrpc":"2.0","id":1,"method":"ping"}""";

    private Uri InvokeUrl => new(lambda.InvokeApi.Endpoint, $"2015-03-31/functions/{LambdaFixture.FaultyFunction}/invocations");

    [Fact]
    public async Task A_correctly_signed_request_passes()
    {
        using var http = SigV4HttpClientTransport.CreateHttpClient(Amazon.RegionEndpoint.USEast1, "lambda", TestAws.Credentials);

        using var response = await http.PostAsync(InvokeUrl, Json(Ping));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(1, JsonNode.Parse(await response.Content.ReadAsStringAsync())!["id"]!.GetValue<int>());
    }

    [Fact]
    public async Task A_body_changed_after_signing_gets_403()
    {
        using var http = new HttpClient(new SigV4SigningHandler(TestAws.Credentials, Amazon.RegionEndpoint.USEast1, "lambda", new TamperingHandler()));

        using var response = await http.PostAsync(InvokeUrl, Json(Ping));

        await AssertRejectedAsync(response, "InvalidSignatureException", SigV4Verifier.MismatchMessage);
    }

    [Fact]
    public async Task A_wrong_secret_key_gets_403()
    {
        using var http = SigV4HttpClientTransport.CreateHttpClient(Amazon.RegionEndpoint.USEast1, "lambda", new BasicAWSCredentials(TestAws.Caller.AccessKey, "not-the-secret-key"));

        using var response = await http.PostAsync(InvokeUrl, Json(Ping));

        await AssertRejectedAsync(response, "InvalidSignatureException", SigV4Verifier.MismatchMessage);
    }

    [Fact]
    public async Task An_unknown_access_key_gets_403()
    {
        using var http = SigV4HttpClientTransport.CreateHttpClient(Amazon.RegionEndpoint.USEast1, "lambda", new BasicAWSCredentials("AKIAUNKNOWNKEY000000", "whatever"));

        using var response = await http.PostAsync(InvokeUrl, Json(Ping));

        await AssertRejectedAsync(response, "UnrecognizedClientException", "The security token included in the request is invalid.");
    }

    [Fact]
    public async Task A_signature_20_minutes_old_gets_403_signature_expired()
    {
        var parameters = new AWSSigV4Parameters
        {
            Credentials = TestAws.Credentials,
            Region = Amazon.RegionEndpoint.USEast1,
            Service = "lambda",
            SignedAt = DateTime.UtcNow.AddMinutes(-20),
        };
        using var http = new HttpClient(new SigV4SigningHandler(parameters, new SocketsHttpHandler()));

        using var response = await http.PostAsync(InvokeUrl, Json(Ping));

        await AssertRejectedAsync(response, "InvalidSignatureException", "Signature expired: ");
    }

    [Fact]
    public async Task An_unsigned_request_gets_403_missing_token_and_no_invocation()
    {
        var before = lambda.InvokeApi.Invoked;
        using var http = new HttpClient();

        using var response = await http.PostAsync(InvokeUrl, Json(Ping));

        await AssertRejectedAsync(response, "MissingAuthenticationTokenException", "Missing Authentication Token");
        Assert.Equal(before, lambda.InvokeApi.Invoked);
    }

    [Fact]
    public async Task Signed_for_another_service_gets_403()
    {
        using var http = SigV4HttpClientTransport.CreateHttpClient(Amazon.RegionEndpoint.USEast1, "execute-api", TestAws.Credentials);

        using var response = await http.PostAsync(InvokeUrl, Json(Ping));

        await AssertRejectedAsync(response, "InvalidSignatureException", "Credential should be scoped to correct service: 'lambda'.");
    }

    [Fact]
    public void The_verifier_reproduces_the_published_get_vanilla_test_vector()
    {
        // aws-sig-v4-test-suite "get-vanilla": GET / on example.amazonaws.com, service "service", 2015-08-30 12:36:00 UTC.
        var caller = new AwsCaller("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", "111122223333", "arn:aws:iam::111122223333:user/example", "AIDEXAMPLE");
        var verifier = new SigV4Verifier("us-east-1", "service", [caller], () => new DateTimeOffset(2015, 8, 30, 12, 36, 0, TimeSpan.Zero));
        var headers = new NameValueCollection
        {
            ["Host"] = "example.amazonaws.com",
            ["X-Amz-Date"] = "20150830T123600Z",
            ["Authorization"] = "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=host;x-amz-date, Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31",
        };

        Assert.True(verifier.Verify("GET", "/", headers, []).Ok);
        headers["X-Amz-Date"] = "20150830T123601Z";
        Assert.Equal(SigV4Verifier.MismatchMessage, verifier.Verify("GET", "/", headers, []).Message);
    }

    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    private static async Task AssertRejectedAsync(HttpResponseMessage response, string errorType, string messageStart)
    {
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal(errorType, response.Headers.GetValues("x-amzn-ErrorType").Single());
        var message = JsonNode.Parse(await response.Content.ReadAsStringAsync())!["message"]!.GetValue<string>();
        Assert.StartsWith(messageStart, message);
    }

    /// <summary>Sits below the signer and swaps the body for another of the same length, as a man in the middle would.</summary>
    private sealed class TamperingHandler() : DelegatingHandler(new SocketsHttpHandler())
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var original = await request.Content!.ReadAsStringAsync(cancellationToken);
            var tampered = new StringContent(original.Replace("ping", "pong", StringComparison.Ordinal), Encoding.UTF8, "application/json");
            foreach (var header in request.Content.Headers)
            {
                tampered.Headers.Remove(header.Key);
                tampered.Headers.TryAddWithoutValidation(header.Key, header.Value);
            }

            request.Content = tampered;
            return await base.SendAsync(request, cancellationToken);
        }
    }
}
