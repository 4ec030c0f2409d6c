namespace McpLambda.Runtime.Invocations;

/// <summary>
/// One invocation as every layer sees it: its ids (for the log), when it must be answered and the token cancelled
/// then, the caller its access token verified, and what its requests measured. The runtime loop creates it and passes
/// it down to the bridge; it is also current on the invocation's async flow (<see cref="Current"/>) for the one reader
/// that cannot be handed it, the log. Several invocations run at once when Lambda allows concurrency, each with its own.
/// </summary>
internal sealed class InvocationContext : IDisposable
{
    private static readonly AsyncLocal<InvocationContext?> CurrentContext = new();
    private readonly Findings _findings;
    private InvocationContext? _outer;
    private bool _entered;

    /// <summary>Creates the context of one invocation; it becomes current only when <see cref="Enter"/>ed.</summary>
    /// <param name="requestId">The Lambda request id; null for work outside any invocation.</param>
    /// <param name="traceId">The X-Ray trace header, if Lambda passed one.</param>
    /// <param name="answerBy">When the answer is due (the deadline less the margin); null when unknown.</param>
    /// <param name="cancellation">Cancelled at <paramref name="answerBy"/>.</param>
    public InvocationContext(string? requestId, string? traceId, DateTimeOffset? answerBy, CancellationToken cancellation)
        : this(requestId, traceId, answerBy, cancellation, new Findings())
    {
    }

    private InvocationContext(string? requestId, string? traceId, DateTimeOffset? answerBy, CancellationToken cancellation, Findings findings)
    {
        RequestId = requestId;
        TraceId = traceId;
        AnswerBy = answerBy;
        Cancellation = cancellation;
        _findings = findings;
    }

    /// <summary>The context current on this async flow, or null outside an invocation: read by the log only.</summary>
    public static InvocationContext? Current => CurrentContext.Value;

    /// <summary>Work outside any Lambda invocation (init, tools, tests): no ids, no known deadline, nobody verified.</summary>
    public static InvocationContext Outside(CancellationToken cancellation = default) => new(null, null, null, cancellation);

    /// <summary>The Lambda request id (<c>Lambda-Runtime-Aws-Request-Id</c>); null outside an invocation.</summary>
    public string? RequestId { get; }

    /// <summary>The X-Ray trace header (<c>Lambda-Runtime-Trace-Id</c>), if Lambda passed one.</summary>
    public string? TraceId { get; }

    /// <summary>When the answer is due, for code that must decide whether waiting is still worth it; null when unknown.</summary>
    public DateTimeOffset? AnswerBy { get; }

    /// <summary>Cancelled when the answer is due.</summary>
    public CancellationToken Cancellation { get; }

    /// <summary>The caller whose access token the resource server verified; null without OAuth or before the check.</summary>
    public CallerIdentity? Caller => Volatile.Read(ref _findings.Caller);

    /// <summary>How many times the server was started again while this invocation ran.</summary>
    public int ServerRestarts => Volatile.Read(ref _findings.ServerRestarts);

    /// <summary>What this invocation's requests measured, in the order they finished.</summary>
    public IReadOnlyList<RequestMeasurement> Requests
    {
        get
        {
            lock (_findings.Requests)
            {
                return [.. _findings.Requests];
            }
        }
    }

    /// <summary>
    /// This invocation with its work cancelled by <paramref name="cancellation"/> instead (one that also ends it
    /// earlier, such as a client closing its stream): the same ids, deadline, caller and measurements.
    /// </summary>
    public InvocationContext WithCancellation(CancellationToken cancellation) => new(RequestId, TraceId, AnswerBy, cancellation, _findings);

    /// <summary>Makes this context current on this async flow until it is disposed; returns it.</summary>
    public InvocationContext Enter()
    {
        _outer = CurrentContext.Value;
        _entered = true;
        CurrentContext.Value = this;
        return this;
    }

    /// <summary>Records the caller a valid access token speaks for; one invocation carries one token.</summary>
    public void Authenticated(CallerIdentity caller)
    {
        if (Interlocked.CompareExchange(ref _findings.Caller, caller, null) is { } known && known != caller)
        {
            throw new InvalidOperationException("The invocation's caller is already known.");
        }
    }

    /// <summary>Adds what one request of this invocation measured (a batch's requests add theirs concurrently).</summary>
    public void Add(RequestMeasurement measurement)
    {
        lock (_findings.Requests)
        {
            _findings.Requests.Add(measurement);
        }
    }

    /// <summary>Counts a restart of the server.</summary>
    public void ServerRestarted() => Interlocked.Increment(ref _findings.ServerRestarts);

    /// <summary>Restores the context that was current before <see cref="Enter"/>.</summary>
    public void Dispose()
    {
        if (_entered)
        {
            CurrentContext.Value = _outer;
        }
    }

    /// <summary>What the invocation's work found out, shared by the contexts of one invocation.</summary>
    private sealed class Findings
    {
        public readonly List<RequestMeasurement> Requests = [];
        public CallerIdentity? Caller;
        public int ServerRestarts;
    }
}
