using McpLambda.Runtime.Invocations;
using McpLambda.Runtime.Observability;
using McpLambda.Runtime.Secrets;

namespace McpLambda.Runtime.Bridge;

/// <summary>
/// A warm server per verified OAuth caller, for a server whose secret references name the caller
/// (<see cref="SecretReference.CallerPlaceholder"/>): each caller's server starts at its first request with that caller's
/// values, serves only that caller, and is never started for a request without a verified caller. At most
/// <c>maxServers</c> run at once; a new caller beyond them stops the least recently used caller's server once it has
/// answered the requests it has.
/// </summary>
/// <param name="options">The server as declared.</param>
/// <param name="relay">Where the servers' requests to clients go.</param>
/// <param name="secrets">The references; each caller's values are fetched through <see cref="ServerSecrets.ForCaller"/>. Disposed with the policy.</param>
/// <param name="maxServers">The most callers' servers that run at once.</param>
internal sealed class PerCallerServerPolicy(StdioServerOptions options, ServerRequestRelay relay, ServerSecrets secrets, int maxServers) : ServerLifetimePolicy
{
    private readonly object _lock = new();
    private readonly Dictionary<string, WarmServerPolicy> _bySubject = new(StringComparer.Ordinal);

    /// <summary>The callers with a server, the most recently used first.</summary>
    private readonly LinkedList<string> _recent = new();
    private bool _disposed;

    /// <summary>The subjects of the callers that have a server now, the most recently used first.</summary>
    public IReadOnlyList<string> Callers
    {
        get
        {
            lock (_lock)
            {
                return [.. _recent];
            }
        }
    }

    /// <inheritdoc/>
    /// <remarks>No caller is known during init: each caller's server starts at its first request.</remarks>
    public override Task StartAtInitAsync(CancellationToken cancellationToken)
    {
        Log.Info($"secrets name the caller ({string.Join(", ", secrets.References.Where(reference => reference.NamesCaller))}): "
            + $"each verified caller gets a server of its own at its first request, at most {maxServers} at once");
        return Task.CompletedTask;
    }

    /// <inheritdoc/>
    /// <exception cref="CallerRequiredException">The request has no verified caller, or its subject cannot name a parameter.</exception>
    public override Task<StdioServerConnection> AcquireAsync(InvocationContext invocation) => ServerOf(invocation).AcquireAsync(invocation);

    /// <inheritdoc/>
    public override void Release(StdioServerConnection connection, InvocationContext invocation)
    {
    }

    /// <inheritdoc/>
    public override StdioServerConnection? Running(InvocationContext invocation) => Known(invocation)?.Running(invocation);

    /// <inheritdoc/>
    public override async Task<bool> ServesOnAfterMissedDeadlineAsync(StdioServerConnection connection)
        => !await MissedDeadline.IsStuckAsync(connection).ConfigureAwait(false);

    /// <inheritdoc/>
    public override ValueTask RetireAsync(StdioServerConnection connection, InvocationContext invocation)
        => Known(invocation) is { } server ? server.RetireAsync(connection, invocation) : connection.DisposeAsync();

    /// <inheritdoc/>
    public override void Discard(StdioServerConnection connection, InvocationContext invocation)
    {
        if (Known(invocation) is { } server)
        {
            server.Discard(connection, invocation);
        }
        else
        {
            StopInBackground(connection, "a dead MCP server");
        }
    }

    /// <inheritdoc/>
    public override async ValueTask DisposeAsync()
    {
        WarmServerPolicy[] servers;
        lock (_lock)
        {
            _disposed = true;
            servers = [.. _bySubject.Values];
            _bySubject.Clear();
            _recent.Clear();
        }

        foreach (var server in servers)
        {
            await server.DisposeAsync().ConfigureAwait(false);
        }

        secrets.Dispose();
    }

    /// <summary>The server of <paramref name="invocation"/>'s caller, if it has one.</summary>
    private WarmServerPolicy? Known(InvocationContext invocation)
    {
        lock (_lock)
        {
            return invocation.Caller is { } caller && _bySubject.TryGetValue(caller.Subject, out var server) ? server : null;
        }
    }

    /// <summary>The server of <paramref name="invocation"/>'s caller, made the most recently used; a new one for a new caller.</summary>
    private WarmServerPolicy ServerOf(InvocationContext invocation)
    {
        var subject = invocation.Caller?.Subject ?? throw new CallerRequiredException(
            $"The MCP server '{options.Command}' runs with each caller's own secrets, and this request has no verified caller: "
            + "it needs an OAuth access token (MCPLAMBDA_OAUTH_ISSUER) on an HTTP way in.");
        if (SecretReference.SubjectProblem(subject) is { } problem)
        {
            throw new CallerRequiredException($"The MCP server '{options.Command}' runs with each caller's own secrets, and this caller's subject cannot name them: {problem}.");
        }

        WarmServerPolicy server;
        (string Subject, WarmServerPolicy Server)? evicted = null;
        lock (_lock)
        {
            if (_disposed)
            {
                throw new StdioServerStartException($"The MCP server '{options.Command}' was stopped: the function is shutting down.");
            }

            if (_bySubject.TryGetValue(subject, out var known))
            {
                server = known;
                _recent.Remove(subject);
            }
            else
            {
                server = new WarmServerPolicy(new ServerStarter(options, relay, secrets.ForCaller(subject)));
                _bySubject[subject] = server;
                if (_recent.Count >= maxServers && _recent.Last is { Value: var oldest })
                {
                    _recent.RemoveLast();
                    evicted = (oldest, _bySubject[oldest]);
                    _bySubject.Remove(oldest);
                }
            }

            _recent.AddFirst(subject);
        }

        if (evicted is var (evictedSubject, evictedServer))
        {
            Log.Info($"per-caller servers: {maxServers} run already; the server of the least recently used caller (sub={evictedSubject}) stops once it has answered the requests it has");
            evictedServer.RetireWhenIdle();
        }

        return server;
    }
}
