namespace McpLambda.Runtime.Observability;

/// <summary>
/// The invocation the current async flow works for: its request id and trace id for the log, and what its requests
/// measured for the metrics. Kept per flow (not in process-wide state) because several invocation loops run at once
/// when Lambda allows concurrency.
/// </summary>
internal sealed class InvocationScope : IDisposable
{
    private static readonly AsyncLocal<InvocationScope?> CurrentScope = new();
    private readonly InvocationScope? _outer;
    private readonly List<RequestMeasurement> _requests = [];
    private int _serverRestarts;

    private InvocationScope(string requestId, string? traceId, InvocationScope? outer)
    {
        RequestId = requestId;
        TraceId = traceId;
        _outer = outer;
    }

    /// <summary>The scope of the invocation being answered on this async flow, or null outside one.</summary>
    public static InvocationScope? Current => CurrentScope.Value;

    /// <summary>The Lambda request id (<c>Lambda-Runtime-Aws-Request-Id</c>).</summary>
    public string RequestId { get; }

    /// <summary>The X-Ray trace header (<c>Lambda-Runtime-Trace-Id</c>), if Lambda passed one.</summary>
    public string? TraceId { get; }

    /// <summary>How many times the warm server was started again while this invocation ran.</summary>
    public int ServerRestarts => Volatile.Read(ref _serverRestarts);

    /// <summary>Makes a new scope current on this async flow until it is disposed.</summary>
    public static InvocationScope Enter(string requestId, string? traceId)
    {
        var scope = new InvocationScope(requestId, traceId, CurrentScope.Value);
        CurrentScope.Value = scope;
        return scope;
    }

    /// <summary>Adds what one request of this invocation measured (a batch's requests add theirs concurrently).</summary>
    public void Add(RequestMeasurement measurement)
    {
        lock (_requests)
        {
            _requests.Add(measurement);
        }
    }

    /// <summary>Counts a restart of the warm server.</summary>
    public void ServerRestarted() => Interlocked.Increment(ref _serverRestarts);

    /// <summary>What this invocation's requests measured, in the order they finished.</summary>
    public IReadOnlyList<RequestMeasurement> Requests
    {
        get
        {
            lock (_requests)
            {
                return [.. _requests];
            }
        }
    }

    public void Dispose() => CurrentScope.Value = _outer;
}
