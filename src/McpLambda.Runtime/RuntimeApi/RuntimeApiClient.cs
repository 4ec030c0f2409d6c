using System.Globalization;
using System.Net;
using System.Net.Http.Headers;

namespace McpLambda.Runtime.RuntimeApi;

/// <summary>
/// The Lambda Runtime API (version 2018-06-01) as a custom runtime uses it: fetch the next invocation,
/// post its response or error, report an init error.
/// </summary>
public sealed class RuntimeApiClient : IDisposable
{
    private static readonly MediaTypeHeaderValue JsonType = new("application/json");
    private readonly HttpClient _http;

    /// <summary>Creates a client for the Runtime API at <paramref name="hostAndPort"/> (the value of <c>AWS_LAMBDA_RUNTIME_API</c>).</summary>
    public RuntimeApiClient(string hostAndPort)
    {
        Address = hostAndPort;
        // next is a long poll: it returns when an invocation arrives, however long that takes.
        _http = new HttpClient(new SocketsHttpHandler { UseProxy = false, PooledConnectionIdleTimeout = Timeout.InfiniteTimeSpan })
        {
            BaseAddress = new Uri($"http://{hostAndPort}/2018-06-01/"),
            Timeout = Timeout.InfiniteTimeSpan,
        };
    }

    /// <summary>The Runtime API's host and port, for log lines.</summary>
    internal string Address { get; }

    /// <summary>Waits for the next invocation.</summary>
    public async Task<LambdaInvocation> NextAsync(CancellationToken cancellationToken)
    {
        using var response = await _http.GetAsync("runtime/invocation/next", HttpCompletionOption.ResponseContentRead, cancellationToken).ConfigureAwait(false);
        if (response.StatusCode != HttpStatusCode.OK)
        {
            throw new InvalidOperationException($"The Runtime API answered next with {(int)response.StatusCode}.");
        }

        var body = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
        var headers = response.Headers;
        var requestId = Header(headers, "Lambda-Runtime-Aws-Request-Id") ?? throw new InvalidOperationException("The Runtime API sent no request id.");
        var deadline = long.TryParse(Header(headers, "Lambda-Runtime-Deadline-Ms"), NumberStyles.None, CultureInfo.InvariantCulture, out var ms)
            ? DateTimeOffset.FromUnixTimeMilliseconds(ms)
            : DateTimeOffset.UtcNow.AddMinutes(15);
        return new LambdaInvocation(
            requestId,
            deadline,
            Header(headers, "Lambda-Runtime-Invoked-Function-Arn"),
            Header(headers, "Lambda-Runtime-Trace-Id"),
            Header(headers, "Lambda-Runtime-Client-Context"),
            Header(headers, "Lambda-Runtime-Cognito-Identity"),
            body);
    }

    /// <summary>Posts the response of invocation <paramref name="requestId"/>.</summary>
    public async Task PostResponseAsync(string requestId, byte[] payload, CancellationToken cancellationToken)
    {
        using var content = new ByteArrayContent(payload);
        content.Headers.ContentType = JsonType;
        using var response = await _http.PostAsync($"runtime/invocation/{Uri.EscapeDataString(requestId)}/response", content, cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            // 413: the payload is over Lambda's limit. Report it as the invocation's error so the caller learns why.
            var detail = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            await PostErrorAsync(requestId, "Runtime.ResponseRejected", $"The Runtime API refused the response ({(int)response.StatusCode}): {detail}", cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>A streamed response to invocation <paramref name="requestId"/>; nothing is sent until its first write.</summary>
    internal RuntimeApiResponseStream OpenResponseStream(string requestId, string contentType) => new(Address, requestId, contentType);

    /// <summary>Posts an invocation error.</summary>
    public Task PostErrorAsync(string requestId, string errorType, string message, CancellationToken cancellationToken)
        => PostErrorToAsync($"runtime/invocation/{Uri.EscapeDataString(requestId)}/error", errorType, message, cancellationToken);

    /// <summary>Reports that the function could not initialize; Lambda then stops the environment.</summary>
    public Task PostInitErrorAsync(string errorType, string message, CancellationToken cancellationToken)
        => PostErrorToAsync("runtime/init/error", errorType, message, cancellationToken);

    /// <inheritdoc/>
    public void Dispose() => _http.Dispose();

    private async Task PostErrorToAsync(string path, string errorType, string message, CancellationToken cancellationToken)
    {
        using var content = new ByteArrayContent(LambdaErrorDocument.Create(errorType, message));
        content.Headers.ContentType = JsonType;
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = content };
        request.Headers.Add("Lambda-Runtime-Function-Error-Type", errorType);
        using var response = await _http.SendAsync(request, cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            throw new HttpRequestException($"The Runtime API answered {path} with {(int)response.StatusCode}.", null, response.StatusCode);
        }
    }

    private static string? Header(HttpResponseHeaders headers, string name)
        => headers.TryGetValues(name, out var values) ? values.FirstOrDefault() : null;
}
