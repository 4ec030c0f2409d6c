using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Amazon;
using Amazon.Runtime.Signing;
using McpLambda.Runtime.Observability;

namespace McpLambda.Runtime.Secrets;

/// <summary>
/// Parameter Store's <c>GetParameters</c>, with decryption: SecureString values come back in clear, and so do Secrets
/// Manager secrets named through <c>/aws/reference/secretsmanager/</c>. One call for up to ten names (the API's limit);
/// more names make concurrent calls of ten. The call is written by hand (the JSON 1.1 protocol over HTTP, signed by
/// AWSSDK.Core's SigV4 handler): a cold start then does not pay the service client's set-up, which costs more than the call.
/// </summary>
/// <param name="connection">Where Parameter Store answers and as whom the function signs; made on first use.</param>
internal sealed class SsmParameterStore(Func<SsmConnection> connection) : IParameterStore
{
    /// <summary>The most names one <c>GetParameters</c> call takes.</summary>
    public const int MaxNamesPerCall = 10;

    /// <summary>Tries of one call before a throttled or failing service fails it: the standard retry mode's count.</summary>
    public const int MaxAttempts = 3;

    /// <summary>The first back-off; each next one doubles, each with full jitter.</summary>
    private static readonly TimeSpan FirstBackOff = TimeSpan.FromMilliseconds(50);

    /// <summary>A healthy GetParameters answers in milliseconds; an endpoint that never answers (a VPC without a way to Systems Manager) fails the start in seconds, not after HttpClient's 100.</summary>
    private static readonly TimeSpan AttemptTimeout = TimeSpan.FromSeconds(5);

    private static readonly MediaTypeHeaderValue JsonContentType = new("application/x-amz-json-1.1");

    private readonly Lazy<(HttpClient Http, Uri Endpoint)> _client = new(() => Open(connection()));

    /// <inheritdoc/>
    public async Task<IReadOnlyDictionary<string, string>> GetAsync(IReadOnlyList<string> names, CancellationToken cancellationToken)
    {
        var batches = await Task.WhenAll(names.Chunk(MaxNamesPerCall).Select(batch => GetBatchAsync(batch, cancellationToken))).ConfigureAwait(false);
        return batches.SelectMany(batch => batch).ToDictionary(found => found.Key, found => found.Value, StringComparer.Ordinal);
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        if (_client.IsValueCreated)
        {
            _client.Value.Http.Dispose();
        }
    }

    private static (HttpClient, Uri) Open(SsmConnection connection)
    {
        var transport = new SocketsHttpHandler { AllowAutoRedirect = false, ConnectTimeout = AttemptTimeout };
        var signing = new SigV4SigningHandler(
            new AWSSigV4Parameters { Credentials = connection.Credentials(), Region = RegionEndpoint.GetBySystemName(connection.Region), Service = "ssm", SignPayload = true },
            transport);
        return (new HttpClient(signing) { Timeout = AttemptTimeout }, connection.Endpoint);
    }

    private async Task<Dictionary<string, string>> GetBatchAsync(string[] names, CancellationToken cancellationToken)
    {
        GetParametersResult result;
        try
        {
            result = await CallAsync(names, cancellationToken).ConfigureAwait(false);
        }
        catch (ParameterStoreException)
        {
            throw;
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            Log.Error($"secrets: GetParameters for {string.Join(", ", names)} failed: {ex.GetType().Name}: {ex.Message}");
            throw new ParameterStoreException(names, $"Parameter Store could not be reached ({ex.GetType().Name}: {ex.Message})", ex);
        }

        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var parameter in result.Parameters ?? [])
        {
            // A name asked with a selector (name:3, name:label) comes back as the name and the selector; one asked by ARN, with that ARN.
            var selector = parameter.Selector ?? "";
            if (parameter.Value is not null && names.FirstOrDefault(name => name == parameter.Name + selector || name == parameter.ARN + selector) is { } asked)
            {
                values[asked] = parameter.Value;
            }
        }

        return values;
    }

    /// <summary>One <c>GetParameters</c> call, tried again (up to <see cref="MaxAttempts"/>) while the service throttles or fails.</summary>
    private async Task<GetParametersResult> CallAsync(string[] names, CancellationToken cancellationToken)
    {
        var (http, endpoint) = _client.Value;
        var body = JsonSerializer.SerializeToUtf8Bytes(new GetParametersInput { Names = names, WithDecryption = true }, SsmJsonContext.Default.GetParametersInput);
        for (var attempt = 1; ; attempt++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, endpoint) { Content = new ByteArrayContent(body) };
            request.Content.Headers.ContentType = JsonContentType;
            request.Headers.Add("X-Amz-Target", "AmazonSSM.GetParameters");
            ServiceError? error;
            try
            {
                using var response = await http.SendAsync(request, cancellationToken).ConfigureAwait(false);
                var text = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
                if (response.IsSuccessStatusCode)
                {
                    return JsonSerializer.Deserialize(text, SsmJsonContext.Default.GetParametersResult) ?? new GetParametersResult();
                }

                error = ServiceError.Read(response, text);
            }
            catch (Exception ex) when (attempt < MaxAttempts && !cancellationToken.IsCancellationRequested && ex is HttpRequestException or TaskCanceledException)
            {
                await BackOffAsync(attempt, cancellationToken).ConfigureAwait(false);
                continue;
            }

            if (attempt < MaxAttempts && error.IsTransient)
            {
                await BackOffAsync(attempt, cancellationToken).ConfigureAwait(false);
                continue;
            }

            // The service's text names the account, the role and the resource: the log has it, the error has its code.
            Log.Error($"secrets: GetParameters for {string.Join(", ", names)} failed: {error.Code} (HTTP {(int)error.Status}): {error.Message}");
            throw new ParameterStoreException(names, error.Reason(attempt));
        }
    }

    private static Task BackOffAsync(int attempt, CancellationToken cancellationToken)
        => Task.Delay(FirstBackOff * (Random.Shared.NextDouble() * (1 << (attempt - 1))), cancellationToken);

    /// <summary>A JSON 1.1 error: its code (from <c>X-Amzn-ErrorType</c> or the body's <c>__type</c>) and message.</summary>
    private sealed record ServiceError(HttpStatusCode Status, string Code, string Message)
    {
        /// <summary>Worth another try: throttling, or the service's own failure.</summary>
        public bool IsTransient => (int)Status >= 500 || Status == HttpStatusCode.TooManyRequests
            || Code is "ThrottlingException" or "ThrottledException" or "RequestLimitExceeded" or "TooManyRequestsException" or "RequestThrottledException";

        public static ServiceError Read(HttpResponseMessage response, byte[] body)
        {
            ErrorBody? parsed = null;
            try
            {
                parsed = JsonSerializer.Deserialize(body, SsmJsonContext.Default.ErrorBody);
            }
            catch (JsonException)
            {
                // Not JSON (a proxy's page): the status says what there is to say.
            }

            var code = response.Headers.TryGetValues("X-Amzn-ErrorType", out var types) ? types.First() : parsed?.Type;
            return new(response.StatusCode, Bare(code) ?? $"HTTP {(int)response.StatusCode}", parsed?.Message ?? "");
        }

        /// <summary>Why, in a few words that name no account, role or value.</summary>
        public string Reason(int attempts) => Code switch
        {
            "AccessDeniedException" => "access denied (AccessDeniedException): the function's role needs ssm:GetParameters on the parameter, kms:Decrypt for a SecureString under a customer managed key, and secretsmanager:GetSecretValue for a Secrets Manager secret",
            _ when IsTransient => $"{(Status >= HttpStatusCode.InternalServerError ? "failing" : "throttled")} ({Code}), still after {attempts} attempts",
            _ => $"{Code} (HTTP {(int)Status})",
        };

        /// <summary>The code alone: <c>X-Amzn-ErrorType</c> may add <c>:uri</c>, <c>__type</c> a <c>namespace#</c>.</summary>
        private static string? Bare(string? code)
        {
            if (string.IsNullOrWhiteSpace(code))
            {
                return null;
            }

            code = code.Split(':')[0];
            return code[(code.LastIndexOf('#') + 1)..].Trim();
        }
    }
}
