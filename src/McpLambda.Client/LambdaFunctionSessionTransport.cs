using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization.Metadata;
using Microsoft.Extensions.Logging;
using ModelContextProtocol;
using ModelContextProtocol.Protocol;

namespace McpLambda.Client;

/// <summary>One client session over the Lambda Invoke API: a message out is an Invoke call, its answer comes back in.</summary>
internal sealed class LambdaFunctionSessionTransport : TransportBase
{
    private static readonly JsonTypeInfo<JsonRpcMessage> MessageInfo = (JsonTypeInfo<JsonRpcMessage>)McpJsonUtilities.DefaultOptions.GetTypeInfo(typeof(JsonRpcMessage));
    private static readonly MediaTypeHeaderValue JsonMediaType = new("application/json");

    private readonly LambdaFunctionClientTransportOptions _options;
    private readonly HttpClient _http;
    private readonly Uri _invokeUri;
    private readonly string? _clientContext;
    private readonly ILogger _logger;
    private int _disposed;

    public LambdaFunctionSessionTransport(string name, LambdaFunctionClientTransportOptions options, HttpClient http, Uri invokeUri, ILoggerFactory? loggerFactory)
        : base(name, loggerFactory)
    {
        _options = options;
        _http = http;
        _invokeUri = invokeUri;
        _clientContext = options.ClientContext is null ? null : Convert.ToBase64String(Encoding.UTF8.GetBytes(options.ClientContext));
        _logger = loggerFactory?.CreateLogger<LambdaFunctionClientTransport>() ?? (ILogger)Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance;
        SetConnected();
    }

    public override async Task SendMessageAsync(JsonRpcMessage message, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (!IsConnected)
        {
            throw new InvalidOperationException("The transport is not connected.");
        }

        var payload = JsonSerializer.SerializeToUtf8Bytes(message, MessageInfo);
        if (payload.Length > _options.MaxPayloadBytes)
        {
            throw new LambdaPayloadTooLargeException(payload.Length, _options.MaxPayloadBytes);
        }

        var answer = await InvokeAsync(message, payload, cancellationToken).ConfigureAwait(false);
        if (answer.FunctionError is not null)
        {
            var error = ToFunctionException(answer);
            _logger.LogWarning("Lambda function error for {Method}: {Error}", Describe(message), error.Message);
            _options.OnFunctionError?.Invoke(error);
            if (message is JsonRpcRequest request)
            {
                await WriteMessageAsync(ToJsonRpcError(request.Id, error), cancellationToken).ConfigureAwait(false);
                return;
            }

            throw error;
        }

        foreach (var reply in ReadMessages(answer))
        {
            await WriteMessageAsync(reply, cancellationToken).ConfigureAwait(false);
        }
    }

    public override ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            SetDisconnected(null);
            _http.Dispose();
        }

        return ValueTask.CompletedTask;
    }

    private async Task<InvokeAnswer> InvokeAsync(JsonRpcMessage message, byte[] payload, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, _invokeUri) { Content = new ByteArrayContent(payload) };
            request.Content.Headers.ContentType = JsonMediaType;
            request.Headers.Add("X-Amz-Invocation-Type", "RequestResponse");
            request.Headers.Add("X-Amz-Log-Type", _options.IncludeLogTail ? "Tail" : "None");
            if (_clientContext is not null)
            {
                request.Headers.Add("X-Amz-Client-Context", _clientContext);
            }

            HttpResponseMessage response;
            try
            {
                // Each attempt is a new message, so the signing handler signs it afresh with the current time.
                response = await _http.SendAsync(request, cancellationToken).ConfigureAwait(false);
            }
            catch (HttpRequestException ex)
            {
                throw new LambdaInvokeException($"Invoking the Lambda function '{_options.FunctionName}' failed: {ex.Message}", null, null, null, attempt, ex);
            }
            catch (TaskCanceledException ex) when (!cancellationToken.IsCancellationRequested)
            {
                throw new LambdaInvokeException($"Invoking the Lambda function '{_options.FunctionName}' timed out after {_options.InvokeTimeout}.", null, null, null, attempt, ex);
            }

            using (response)
            {
                var body = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
                var requestId = Header(response, "x-amzn-RequestId");
                if (response.IsSuccessStatusCode)
                {
                    return new InvokeAnswer(body, Header(response, "X-Amz-Function-Error"), requestId, Header(response, "X-Amz-Log-Result"));
                }

                var (code, text) = ReadServiceError(response, body);
                var status = (int)response.StatusCode;
                var retryable = InvokeRetryPolicy.MayRetry(message, status, code);
                if (retryable && attempt <= _options.MaxRetries)
                {
                    var delay = Backoff(attempt, response.Headers.RetryAfter);
                    _logger.LogInformation("Lambda Invoke answered {Status} {Code}; retry {Retry} of {MaxRetries} in {Delay} ms", status, code, attempt, _options.MaxRetries, (int)delay.TotalMilliseconds);
                    await Task.Delay(delay, cancellationToken).ConfigureAwait(false);
                    continue;
                }

                var prefix = retryable && attempt > 1 ? $" (after {attempt} attempts)"
                    : status >= 500 ? $" (not retried: {Describe(message)} may have run, and running it twice is not safe)"
                    : "";
                throw new LambdaInvokeException(
                    $"Lambda Invoke of '{_options.FunctionName}' failed with {status} {code ?? response.ReasonPhrase}{prefix}: {text}",
                    response.StatusCode,
                    code,
                    requestId,
                    attempt);
            }
        }
    }

    /// <summary>Full jitter: a random wait up to base × 2^(attempt-1), capped; a longer Retry-After is honoured up to the cap.</summary>
    private TimeSpan Backoff(int attempt, RetryConditionHeaderValue? retryAfter)
    {
        var ceiling = Math.Min(_options.RetryMaxDelay.TotalMilliseconds, _options.RetryBaseDelay.TotalMilliseconds * Math.Pow(2, attempt - 1));
        var delay = Random.Shared.NextDouble() * ceiling;
        if (retryAfter?.Delta is { } after)
        {
            delay = Math.Max(delay, Math.Min(after.TotalMilliseconds, _options.RetryMaxDelay.TotalMilliseconds));
        }

        return TimeSpan.FromMilliseconds(delay);
    }

    private IEnumerable<JsonRpcMessage> ReadMessages(InvokeAnswer answer)
    {
        JsonDocument document;
        try
        {
            if (answer.Payload.AsSpan().Trim(" \t\r\n"u8).IsEmpty)
            {
                yield break;
            }

            document = JsonDocument.Parse(answer.Payload);
        }
        catch (JsonException ex)
        {
            throw InvalidAnswer(answer, ex);
        }

        using (document)
        {
            var root = document.RootElement;
            switch (root.ValueKind)
            {
                case JsonValueKind.Null:
                case JsonValueKind.Object when !root.EnumerateObject().Any():
                    // A notification or a response: nothing to deliver.
                    yield break;
                case JsonValueKind.Object:
                    yield return ReadMessage(root, answer);
                    break;
                case JsonValueKind.Array:
                    foreach (var element in root.EnumerateArray())
                    {
                        yield return ReadMessage(element, answer);
                    }

                    break;
                default:
                    throw InvalidAnswer(answer, null);
            }
        }
    }

    private JsonRpcMessage ReadMessage(JsonElement element, InvokeAnswer answer)
    {
        try
        {
            return element.Deserialize(MessageInfo) ?? throw InvalidAnswer(answer, null);
        }
        catch (JsonException ex)
        {
            throw InvalidAnswer(answer, ex);
        }
    }

    private LambdaInvokeException InvalidAnswer(InvokeAnswer answer, Exception? inner)
    {
        var text = Encoding.UTF8.GetString(answer.Payload.AsSpan(0, Math.Min(answer.Payload.Length, 500)));
        return new LambdaInvokeException($"The Lambda function '{_options.FunctionName}' answered with something that is not a JSON-RPC message: {text}", HttpStatusCode.OK, null, answer.RequestId, 1, inner);
    }

    private LambdaFunctionException ToFunctionException(InvokeAnswer answer)
    {
        var payload = Encoding.UTF8.GetString(answer.Payload);
        string? errorType = null;
        string? errorMessage = null;
        try
        {
            using var document = JsonDocument.Parse(answer.Payload);
            if (document.RootElement.ValueKind == JsonValueKind.Object)
            {
                errorType = String(document.RootElement, "errorType");
                errorMessage = String(document.RootElement, "errorMessage");
            }
        }
        catch (JsonException)
        {
            // Not a JSON error document: the raw payload is kept.
        }

        string? logTail = null;
        if (answer.LogResult is { } log)
        {
            try
            {
                logTail = Encoding.UTF8.GetString(Convert.FromBase64String(log));
            }
            catch (FormatException)
            {
                logTail = log;
            }
        }

        return new LambdaFunctionException(_options.FunctionName, answer.FunctionError!, errorType, errorMessage, answer.RequestId, payload, logTail);
    }

    private static JsonRpcError ToJsonRpcError(RequestId id, LambdaFunctionException error)
    {
        var data = new JsonObject
        {
            ["functionError"] = error.FunctionError,
            ["errorType"] = error.ErrorType,
            ["errorMessage"] = error.ErrorMessage,
            ["requestId"] = error.RequestId,
        };
        return new JsonRpcError
        {
            Id = id,
            Error = new JsonRpcErrorDetail { Code = (int)McpErrorCode.InternalError, Message = error.Message, Data = data },
        };
    }

    private static (string? Code, string Message) ReadServiceError(HttpResponseMessage response, byte[] body)
    {
        // Lambda names the error in x-amzn-ErrorType ("TooManyRequestsException" or "Code:uri") and explains it in the body.
        var code = Header(response, "x-amzn-ErrorType")?.Split(':')[0];
        var message = body.Length == 0 ? response.ReasonPhrase ?? "" : Encoding.UTF8.GetString(body);
        try
        {
            using var document = JsonDocument.Parse(body);
            var root = document.RootElement;
            if (root.ValueKind == JsonValueKind.Object)
            {
                code ??= String(root, "__type")?.Split('#')[^1] ?? String(root, "code");
                message = String(root, "message") ?? String(root, "Message") ?? message;
            }
        }
        catch (JsonException)
        {
            // Keep the raw body as the message.
        }

        return (code, message);
    }

    private static string? String(JsonElement element, string name)
        => element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static string? Header(HttpResponseMessage response, string name)
        => response.Headers.TryGetValues(name, out var values) || response.Content.Headers.TryGetValues(name, out values)
            ? string.Join(",", values)
            : null;

    private static string Describe(JsonRpcMessage message) => message switch
    {
        JsonRpcRequest request => request.Method + " (id " + request.Id.ToString() + ")",
        JsonRpcNotification notification => notification.Method,
        _ => message.GetType().Name,
    };

    private sealed record InvokeAnswer(byte[] Payload, string? FunctionError, string? RequestId, string? LogResult);
}
