using McpLambda.Runtime.Invocations;

namespace McpLambda.Runtime.Observability;

/// <summary>
/// The invocations that have requests in flight on one server, so that a line the server writes to stderr (read by a
/// loop outside any invocation's async flow) can be logged with the request and trace id when it can only belong to one of them.
/// </summary>
internal sealed class InFlightRequests
{
    private readonly Dictionary<InvocationContext, int> _byInvocation = new(ReferenceEqualityComparer.Instance);
    private int _outsideInvocations;

    /// <summary>Counts a request sent for <paramref name="invocation"/> (null: the runtime's own) until the returned handle is disposed.</summary>
    public Entry Enter(InvocationContext? invocation)
    {
        invocation = invocation?.RequestId is null ? null : invocation;
        lock (_byInvocation)
        {
            if (invocation is null)
            {
                _outsideInvocations++;
            }
            else
            {
                _byInvocation[invocation] = _byInvocation.GetValueOrDefault(invocation) + 1;
            }
        }

        return new Entry(this, invocation);
    }

    /// <summary>The one invocation with requests in flight, or null when there are none or several (or one outside an invocation).</summary>
    public InvocationContext? SoleInvocation
    {
        get
        {
            lock (_byInvocation)
            {
                return _outsideInvocations == 0 && _byInvocation.Count == 1 ? _byInvocation.Keys.First() : null;
            }
        }
    }

    private void Exit(InvocationContext? invocation)
    {
        lock (_byInvocation)
        {
            if (invocation is null)
            {
                _outsideInvocations--;
            }
            else if (_byInvocation[invocation] == 1)
            {
                _byInvocation.Remove(invocation);
            }
            else
            {
                _byInvocation[invocation]--;
            }
        }
    }

    /// <summary>One request in flight; disposing it ends it.</summary>
    public readonly struct Entry(InFlightRequests owner, InvocationContext? invocation) : IDisposable
    {
        public void Dispose() => owner?.Exit(invocation);
    }
}
