using System.Collections.Concurrent;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using McpLambda.Runtime.Local;

namespace McpLambda.Client.Tests;

/// <summary>
/// The Lambda Invoke API (<c>POST /2015-03-31/functions/{name}/invocations</c>) on loopback, in front of
/// functions running under <see cref="RuntimeApiEmulator"/>s: it verifies SigV4 (service <c>lambda</c>), and
/// answers as Lambda does: 200 with <c>X-Amz-Function-Error</c> for a function error, 429 when told to
/// throttle, 413 over 6 MB, 404 for an unknown function.
/// </summary>
public sealed class LocalInvokeApi : IAsyncDisposable
{
    public const int MaxPayloadBytes = 6 * 1024 * 1024;
    private const string Prefix = "/2015-03-31/functions/";
    private readonly SigV4Verifier _verifier;
    private readonly ConcurrentDictionary<string, RuntimeApiEmulator> _functions = new();
    private readonly LoopbackServer _server;
    private int _throttle;
    private int _received;
    private int _invoked;

    public LocalInvokeApi(SigV4Verifier verifier)
    {
        _verifier = verifier;
        _server = LoopbackServer.Start(HandleAsync);
    }

    /// <summary>The endpoint to give a client, e.g. <c>http://127.0.0.1:port/</c>.</summary>
    public Uri Endpoint => _server.Url;

    /// <summary>Every HTTP request that reached the emulation, whatever became of it.</summary>
    public int Received => Volatile.Read(ref _received);

    /// <summary>Invocations that reached a function.</summary>
    public int Invoked => Volatile.Read(ref _invoked);

    /// <summary>The client contexts functions were invoked with, in order.</summary>
    public ConcurrentQueue<string?> ClientContexts { get; } = new();

    public string FunctionArn(string name) => $"arn:aws:lambda:{_verifier.Region}:{TestAws.FunctionAccount}:function:{name}";

    internal void AddFunction(string name, RuntimeApiEmulator lambda) => _functions[name] = lambda;

    /// <summary>Answers the next <paramref name="count"/> signed invocations with 429 TooManyRequestsException.</summary>
    public void ThrottleNext(int count) => Volatile.Write(ref _throttle, count);

    public ValueTask DisposeAsync() => _server.DisposeAsync();

    private async Task HandleAsync(HttpListenerContext context)
    {
        Interlocked.Increment(ref _received);
        var request = context.Request;
        var response = context.Response;
        if (await _verifier.AcceptAsync(context) is not var (verdict, body))
        {
            return;
        }

        var path = request.Url!.AbsolutePath;
        if (request.HttpMethod != "POST" || !path.StartsWith(Prefix, StringComparison.Ordinal) || !path.EndsWith("/invocations", StringComparison.Ordinal))
        {
            Error(response, 404, "UnknownOperationException", "Unknown operation " + request.HttpMethod + " " + path);
            return;
        }

        if (Interlocked.Decrement(ref _throttle) >= 0)
        {
            Respond(response, 429, "TooManyRequestsException", """{"Reason":"ReservedFunctionConcurrentInvocationLimitExceeded","Type":"User","message":"Rate Exceeded."}""");
            return;
        }

        if (body.Length > MaxPayloadBytes)
        {
            Error(response, 413, "RequestEntityTooLargeException", $"Request must be smaller than {MaxPayloadBytes} bytes for the InvokeFunction operation");
            return;
        }

        var name = Uri.UnescapeDataString(path[Prefix.Length..^"/invocations".Length]);
        var shortName = name.StartsWith("arn:", StringComparison.Ordinal) ? name.Split(':')[6] : name;
        if (!_functions.TryGetValue(shortName, out var lambda))
        {
            Error(response, 404, "ResourceNotFoundException", "Function not found: " + FunctionArn(shortName));
            return;
        }

        var invocationType = request.Headers["X-Amz-Invocation-Type"] ?? "RequestResponse";
        if (invocationType == "DryRun")
        {
            LoopbackServer.Respond(response, 204, null);
            return;
        }

        string? clientContext = null;
        if (request.Headers["X-Amz-Client-Context"] is { } encoded)
        {
            clientContext = Encoding.UTF8.GetString(Convert.FromBase64String(encoded));
        }

        Interlocked.Increment(ref _invoked);
        ClientContexts.Enqueue(clientContext);
        var qualifier = request.QueryString["Qualifier"] ?? "$LATEST";
        var invoke = lambda.InvokeAsync(body, new LambdaInvokeOptions(ClientContext: clientContext, FunctionArn: FunctionArn(shortName) + ":" + qualifier));
        if (invocationType == "Event")
        {
            LoopbackServer.Respond(response, 202, null);
            return;
        }

        var result = await invoke;
        var headers = new Dictionary<string, string>
        {
            ["x-amzn-RequestId"] = result.RequestId,
            ["X-Amz-Executed-Version"] = qualifier,
        };
        if (result.FunctionError is not null)
        {
            headers["X-Amz-Function-Error"] = "Unhandled";
        }

        if (request.Headers["X-Amz-Log-Type"] == "Tail")
        {
            headers["X-Amz-Log-Result"] = Convert.ToBase64String(Encoding.UTF8.GetBytes($"START RequestId: {result.RequestId} Version: {qualifier}\nEND RequestId: {result.RequestId}\n"));
        }

        response.StatusCode = 200;
        foreach (var (header, value) in headers)
        {
            response.Headers[header] = value;
        }

        response.ContentType = "application/json";
        response.ContentLength64 = result.Payload.Length;
        await response.OutputStream.WriteAsync(result.Payload);
        response.Close();
    }

    private static void Error(HttpListenerResponse response, int status, string errorType, string message)
        => Respond(response, status, errorType, new JsonObject { ["Type"] = "User", ["message"] = message }.ToJsonString());

    private static void Respond(HttpListenerResponse response, int status, string errorType, string json)
        => LoopbackServer.Respond(response, status, json, new Dictionary<string, string> { ["x-amzn-ErrorType"] = errorType, ["x-amzn-RequestId"] = Guid.NewGuid().ToString() });
}
