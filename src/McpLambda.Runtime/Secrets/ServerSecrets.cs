using System.Diagnostics;
using McpLambda.Runtime.Observability;

namespace McpLambda.Runtime.Secrets;

/// <summary>
/// The server's secret references and their values. The values are fetched once, from init on, in one store call for all
/// of them, and go to each start of the server: never into the function's own environment, log, errors or metrics. With a
/// time to live, the first request after it fetches them again; a changed value raises <see cref="SecretValues.Version"/>,
/// which gets the warm server replaced between requests, and an unchanged one keeps it.
/// </summary>
internal sealed class ServerSecrets : IDisposable
{
    /// <summary>After a failed refresh the server keeps the values it has; the next request tries again after this at most.</summary>
    private static readonly TimeSpan RetryAfterFailedRefresh = TimeSpan.FromSeconds(30);

    private readonly IParameterStore _store;
    private readonly bool _ownsStore;
    private readonly TimeSpan? _timeToLive;
    private readonly TimeProvider _time;
    private readonly object _lock = new();
    private SecretValues? _values;
    private Task<SecretValues>? _fetching;
    private long _refreshAtTicks = long.MaxValue;

    /// <summary>Creates the secrets of <paramref name="references"/>, resolved by <paramref name="store"/>; nothing is fetched until asked.</summary>
    /// <param name="references">The references in the server's environment.</param>
    /// <param name="store">Where they are resolved; disposed with this.</param>
    /// <param name="timeToLive">How long fetched values serve before the next request fetches them again; null for the environment's life.</param>
    /// <param name="time">The clock.</param>
    public ServerSecrets(IReadOnlyList<SecretReference> references, IParameterStore store, TimeSpan? timeToLive = null, TimeProvider? time = null)
        : this(references, store, timeToLive, time ?? TimeProvider.System, ownsStore: true)
    {
    }

    private ServerSecrets(IReadOnlyList<SecretReference> references, IParameterStore store, TimeSpan? timeToLive, TimeProvider time, bool ownsStore)
    {
        References = references;
        _store = store;
        _ownsStore = ownsStore;
        _timeToLive = timeToLive;
        _time = time;
    }

    /// <summary>Whether a reference names the caller (<see cref="SecretReference.CallerPlaceholder"/>): then only <see cref="ForCaller"/>'s values are fetched.</summary>
    public bool NamesCaller => References.Any(reference => reference.NamesCaller);

    /// <summary>
    /// The secrets of the caller whose subject is <paramref name="subject"/>: the references with the subject in place of
    /// <see cref="SecretReference.CallerPlaceholder"/>, resolved in this store (which stays this one's) with the same time to live.
    /// </summary>
    /// <exception cref="ArgumentException">The subject cannot stand in a parameter name; the message says why.</exception>
    public ServerSecrets ForCaller(string subject)
    {
        if (SecretReference.SubjectProblem(subject) is { } problem)
        {
            throw new ArgumentException($"The caller's subject cannot name its secrets: {problem}.", nameof(subject));
        }

        return new ServerSecrets([.. References.Select(reference => reference.ForCaller(subject))], _store, _timeToLive, _time, ownsStore: false);
    }

    /// <summary>The references, in the order of their variables' names.</summary>
    public IReadOnlyList<SecretReference> References { get; }

    /// <summary>The version of the last fetched values; 0 before the first.</summary>
    public int CurrentVersion
    {
        get
        {
            lock (_lock)
            {
                return _values?.Version ?? 0;
            }
        }
    }

    /// <summary>Whether the values have outlived their time to live, so that the next request fetches them again.</summary>
    public bool RefreshDue => _time.GetUtcNow().UtcTicks >= Volatile.Read(ref _refreshAtTicks);

    /// <summary>
    /// The secrets <paramref name="server"/>'s environment names, resolved in the store <paramref name="store"/> makes and
    /// kept for <paramref name="timeToLive"/> (for good when null); null, and no store made, when it names none.
    /// </summary>
    public static ServerSecrets? For(StdioServerOptions server, Func<IParameterStore> store, TimeSpan? timeToLive)
    {
        var references = SecretReference.In(server.EnvironmentVariables);
        return references.Count == 0 ? null : new ServerSecrets(references, store(), timeToLive);
    }

    /// <summary>
    /// Starts the first fetch now (during init), so that the server's start finds the values on their way. References
    /// that name the caller are fetched per caller (<see cref="ForCaller"/>), never here.
    /// </summary>
    public void StartFetching()
    {
        if (NamesCaller)
        {
            return;
        }

        lock (_lock)
        {
            _fetching ??= FetchAsync();
        }
    }

    /// <summary>The values to start the server with: the last fetched, else those of the fetch under way or of a new one.</summary>
    /// <exception cref="SecretResolutionException">A reference could not be resolved; the next call fetches again.</exception>
    public async Task<SecretValues> CurrentAsync()
    {
        Task<SecretValues> fetch;
        lock (_lock)
        {
            if (_values is { } known)
            {
                return known;
            }

            fetch = _fetching ??= FetchAsync();
        }

        try
        {
            return await fetch.ConfigureAwait(false);
        }
        catch (SecretResolutionException)
        {
            // The start that failed on it has seen it: the next start fetches again.
            lock (_lock)
            {
                if (_fetching == fetch)
                {
                    _fetching = null;
                }
            }

            throw;
        }
    }

    /// <summary>Fetches the values again if <see cref="RefreshDue"/>; a failure is logged and keeps the values the server has.</summary>
    public async Task RefreshAsync(CancellationToken cancellationToken)
    {
        Task<SecretValues> fetch;
        lock (_lock)
        {
            if (!RefreshDue || _values is null)
            {
                return;
            }

            fetch = _fetching ??= FetchAsync();
        }

        try
        {
            await fetch.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (SecretResolutionException)
        {
            // Logged by the fetch; the server goes on with the values it has.
        }
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        if (_ownsStore)
        {
            _store.Dispose();
        }
    }

    private async Task<SecretValues> FetchAsync()
    {
        // Never completes inside the caller's lock, and the store's set-up runs off the caller's thread.
        await Task.Yield();
        var started = Stopwatch.GetTimestamp();
        Dictionary<string, string> byVariable;
        try
        {
            byVariable = await SecretResolution.ResolveAsync(References, _store, CancellationToken.None).ConfigureAwait(false);
        }
        catch (SecretResolutionException ex)
        {
            lock (_lock)
            {
                if (_values is not null)
                {
                    _fetching = null;
                    var retry = _timeToLive is { } ttl && ttl < RetryAfterFailedRefresh ? ttl : RetryAfterFailedRefresh;
                    Volatile.Write(ref _refreshAtTicks, (_time.GetUtcNow() + retry).UtcTicks);
                    Log.Warn($"secrets: fetching them again failed ({ex.Message}); the server keeps the values it has, and the next try comes after {retry.TotalSeconds:0} s");
                }
            }

            throw;
        }

        SecretValues values;
        string[] changed;
        bool first;
        lock (_lock)
        {
            var previous = _values;
            first = previous is null;
            changed = previous is null ? [] : [.. byVariable.Where(value => !previous.Has(value.Key, value.Value)).Select(value => value.Key)];
            values = new SecretValues(byVariable, previous is null ? 1 : previous.Version + (changed.Length > 0 ? 1 : 0));
            _values = values;
            _fetching = null;
            Volatile.Write(ref _refreshAtTicks, _timeToLive is { } ttl ? (_time.GetUtcNow() + ttl).UtcTicks : long.MaxValue);
        }

        var took = $"{Stopwatch.GetElapsedTime(started).TotalMilliseconds:0.0} ms";
        Log.Info(first
            ? $"secrets: {References.Count} reference(s) resolved in {took}: {string.Join(", ", References)}"
            : $"secrets: fetched again in {took}; " + (changed.Length == 0
                ? "no value changed, the server goes on"
                : $"changed: {string.Join(", ", changed)}; the server restarts with them before the next request"));
        return values;
    }
}
