using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Text;
using McpLambda.Runtime.Http;

namespace McpLambda.Runtime.RuntimeApi;

/// <summary>
/// The Lambda Runtime API (version 2018-06-01) as a custom runtime uses it: fetch the next invocation,
/// post its response or error, report an init error. Each concurrent invocation loop gets a kept-alive connection of
/// its own from a small pool.
/// </summary>
internal sealed class RuntimeApiClient : IDisposable
{
    private const string Version = "/2018-06-01/";
    private readonly ConcurrentBag<RuntimeApiConnection> _idle = [];
    private readonly byte[] _nextRequest;
    private volatile bool _disposed;

    /// <summary>Creates a client for the Runtime API at <paramref name="hostAndPort"/> (the value of <c>AWS_LAMBDA_RUNTIME_API</c>).</summary>
    public RuntimeApiClient(string hostAndPort)
    {
        Address = hostAndPort;
        _nextRequest = Encoding.ASCII.GetBytes($"GET {Version}runtime/invocation/next HTTP/1.1\r\nHost: {hostAndPort}\r\n\r\n");
    }

    /// <summary>The Runtime API's host and port, for log lines.</summary>
    internal string Address { get; }

    /// <summary>Waits for the next invocation.</summary>
    public async Task<LambdaInvocation> NextAsync(CancellationToken cancellationToken)
    {
        // next is a long poll: it returns when an invocation arrives, however long that takes.
        var response = await SendAsync(_nextRequest, ReadOnlyMemory<byte>.Empty, cancellationToken).ConfigureAwait(false);
        if (response.StatusCode != (int)HttpStatusCode.OK)
        {
            throw new InvalidOperationException($"The Runtime API answered next with {response.StatusCode}.");
        }

        var headers = response.Headers;
        var requestId = headers["Lambda-Runtime-Aws-Request-Id"] ?? throw new InvalidOperationException("The Runtime API sent no request id.");
        var deadline = long.TryParse(headers["Lambda-Runtime-Deadline-Ms"], NumberStyles.None, CultureInfo.InvariantCulture, out var ms)
            ? DateTimeOffset.FromUnixTimeMilliseconds(ms)
            : DateTimeOffset.UtcNow.AddMinutes(15);
        return new LambdaInvocation(
            requestId,
            deadline,
            headers["Lambda-Runtime-Invoked-Function-Arn"],
            headers["Lambda-Runtime-Trace-Id"],
            headers["Lambda-Runtime-Client-Context"],
            headers["Lambda-Runtime-Cognito-Identity"],
            response.Body);
    }

    /// <summary>Posts the response of invocation <paramref name="requestId"/>.</summary>
    public async Task PostResponseAsync(string requestId, byte[] payload, CancellationToken cancellationToken)
    {
        var response = await PostAsync($"runtime/invocation/{Uri.EscapeDataString(requestId)}/response", null, payload, cancellationToken).ConfigureAwait(false);
        if (response.StatusCode is < 200 or > 299)
        {
            // 413: the payload is over Lambda's limit. Report it as the invocation's error so the caller learns why.
            var detail = Encoding.UTF8.GetString(response.Body.Span);
            await PostErrorAsync(requestId, "Runtime.ResponseRejected", $"The Runtime API refused the response ({response.StatusCode}): {detail}", cancellationToken).ConfigureAwait(false);
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
    public void Dispose()
    {
        _disposed = true;
        while (_idle.TryTake(out var connection))
        {
            connection.Dispose();
        }
    }

    /// <summary>
    /// An error type as a header or trailer can carry it: printable ASCII, without the surrounding spaces a reader drops;
    /// "Unknown" when nothing is left.
    /// </summary>
    internal static string ErrorTypeValue(string errorType)
        => new string([.. errorType.Where(c => c >= ' ' && c < 127)]).Trim() is { Length: > 0 } value ? value : "Unknown";

    private async Task PostErrorToAsync(string path, string errorType, string message, CancellationToken cancellationToken)
    {
        var response = await PostAsync(path, errorType, LambdaErrorDocument.Create(errorType, message), cancellationToken).ConfigureAwait(false);
        if (response.StatusCode is < 200 or > 299)
        {
            throw new HttpRequestException($"The Runtime API answered {path} with {response.StatusCode}.", null, (HttpStatusCode)response.StatusCode);
        }
    }

    private Task<BufferedHttpResponse> PostAsync(string path, string? errorType, byte[] body, CancellationToken cancellationToken)
    {
        var head = $"POST {Version}{path} HTTP/1.1\r\nHost: {Address}\r\nContent-Type: application/json\r\nContent-Length: {body.Length}\r\n"
            + (errorType is null ? "" : $"Lambda-Runtime-Function-Error-Type: {ErrorTypeValue(errorType)}\r\n")
            + "\r\n";
        return SendAsync(Encoding.ASCII.GetBytes(head), body, cancellationToken);
    }

    /// <summary>
    /// One exchange on a pooled connection. A kept-alive connection the peer has closed since its last use fails before
    /// any answer: that exchange is made again, once, on a new connection.
    /// </summary>
    private async Task<BufferedHttpResponse> SendAsync(ReadOnlyMemory<byte> head, ReadOnlyMemory<byte> body, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        while (true)
        {
            var reused = _idle.TryTake(out var connection);
            connection ??= await RuntimeApiConnection.OpenAsync(Address, cancellationToken).ConfigureAwait(false);
            BufferedHttpResponse? response;
            try
            {
                response = await connection.ExchangeAsync(head, body, cancellationToken).ConfigureAwait(false);
            }
            catch
            {
                connection.Dispose();
                throw;
            }

            if (response is null)
            {
                connection.Dispose();
                if (reused)
                {
                    continue;
                }

                throw new HttpRequestException($"The Runtime API at {Address} closed the connection without answering.");
            }

            if (RuntimeApiConnection.KeepsAlive(response) && !_disposed)
            {
                _idle.Add(connection);
            }
            else
            {
                connection.Dispose();
            }

            return response;
        }
    }
}
