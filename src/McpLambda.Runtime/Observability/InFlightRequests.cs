namespace McpLambda.Runtime.Observability;

/// <summary>
/// The invocations that have requests in flight on one server, so that a line the server writes to stderr (read by a
/// loop outside any invocation's async flow) can be logged with the request id when it can only belong to one of them.
/// </summary>
internal sealed class InFlightRequests
{
    private readonly Dictionary<string, int> _byInvocation = new(StringComparer.Ordinal);
    private int _outsideInvocations;

    /// <summary>Counts a request sent for the current invocation (or outside any) until the returned handle is disposed.</summary>
    public Entry Enter()
    {
        var requestId = InvocationScope.Current?.RequestId;
        lock (_byInvocation)
        {
            if (requestId is null)
            {
                _outsideInvocations++;
            }
            else
            {
                _byInvocation[requestId] = _byInvocation.GetValueOrDefault(requestId) + 1;
            }
        }

        return new Entry(this, requestId);
    }

    /// <summary>The request id of the one invocation with requests in flight, or null when there are none or several (or one outside an invocation).</summary>
    public string? SoleRequestId
    {
        get
        {
            lock (_byInvocation)
            {
                return _outsideInvocations == 0 && _byInvocation.Count == 1 ? _byInvocation.Keys.First() : null;
            }
        }
    }

    private void Exit(string? requestId)
    {
        lock (_byInvocation)
        {
            if (requestId is null)
            {
                _outsideInvocations--;
            }
            else if (_byInvocation[requestId] == 1)
            {
                _byInvocation.Remove(requestId);
            }
            else
            {
                _byInvocation[requestId]--;
            }
        }
    }

    /// <summary>One request in flight; disposing it ends it.</summary>
    public readonly struct Entry(InFlightRequests owner, string? requestId) : IDisposable
    {
        public void Dispose() => owner?.Exit(requestId);
    }
}
