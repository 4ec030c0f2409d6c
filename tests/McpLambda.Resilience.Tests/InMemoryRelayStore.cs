using System.Collections.Concurrent;
using McpLambda.Runtime.Relay;

namespace McpLambda.Resilience.Tests;

/// <summary>
/// The relay's table in memory, shared by the relays of several "execution environments", whose calls can be made slow
/// or failing the way DynamoDB's can (throttling, access denied), which a real engine cannot be made to do on cue.
/// </summary>
internal sealed class InMemoryRelayStore : IServerRequestStore
{
    private readonly ConcurrentDictionary<string, Record> _records = new();
    private readonly TaskCompletionSource _addStarted = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _addEnded = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>How long each call takes, by operation; none by default.</summary>
    public Func<StoreOperation, TimeSpan> Latency { get; init; } = _ => TimeSpan.Zero;

    /// <summary>What a call fails with, by operation (null: it succeeds); asked once per call.</summary>
    public Func<StoreOperation, Exception?> Fault { get; init; } = _ => null;

    /// <inheritdoc/>
    public int MaxRecordBytes => int.MaxValue;

    /// <summary>How many records the table holds.</summary>
    public int Count => _records.Count;

    /// <summary>Completes when the first record starts being added (the server's request is being relayed).</summary>
    public Task AddStarted => _addStarted.Task;

    /// <summary>Completes when the first add has ended, whether or not it failed.</summary>
    public Task AddEnded => _addEnded.Task;

    /// <inheritdoc/>
    public async Task AddAsync(string id, string method, DateTimeOffset deadline, CancellationToken cancellationToken)
    {
        _addStarted.TrySetResult();
        try
        {
            await CallAsync(StoreOperation.Add, cancellationToken);
            _records[id] = new Record(deadline, null);
        }
        finally
        {
            _addEnded.TrySetResult();
        }
    }

    /// <inheritdoc/>
    public async Task<RelayAnswerOutcome> AnswerAsync(string id, string answer, CancellationToken cancellationToken)
    {
        await CallAsync(StoreOperation.Answer, cancellationToken);
        if (!_records.TryGetValue(id, out var record))
        {
            return RelayAnswerOutcome.Unknown;
        }

        if (record.Answer is not null)
        {
            return RelayAnswerOutcome.AlreadyAnswered;
        }

        if (record.Deadline < DateTimeOffset.UtcNow)
        {
            return RelayAnswerOutcome.Expired;
        }

        return _records.TryUpdate(id, record with { Answer = answer }, record) ? RelayAnswerOutcome.Accepted : RelayAnswerOutcome.AlreadyAnswered;
    }

    /// <inheritdoc/>
    public async Task<string?> TakeAnswerAsync(string id, CancellationToken cancellationToken)
    {
        await CallAsync(StoreOperation.Take, cancellationToken);
        return _records.TryGetValue(id, out var record) && record.Answer is { } answer && _records.TryRemove(id, out _) ? answer : null;
    }

    /// <inheritdoc/>
    public async Task RemoveAsync(string id, CancellationToken cancellationToken)
    {
        await CallAsync(StoreOperation.Remove, cancellationToken);
        _records.TryRemove(id, out _);
    }

    private async Task CallAsync(StoreOperation operation, CancellationToken cancellationToken)
    {
        await Task.Delay(Latency(operation), cancellationToken);
        if (Fault(operation) is { } fault)
        {
            throw fault;
        }
    }

    private sealed record Record(DateTimeOffset Deadline, string? Answer);
}

/// <summary>The store's operations, as DynamoDB calls: <c>PutItem</c> (add, answer), <c>GetItem</c> (take), <c>DeleteItem</c> (remove).</summary>
internal enum StoreOperation
{
    Add,
    Answer,
    Take,
    Remove,
}
