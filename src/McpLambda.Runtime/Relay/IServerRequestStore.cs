namespace McpLambda.Runtime.Relay;

/// <summary>
/// Where a server's request to a client waits for the client's answer when that answer may reach another execution
/// environment of the function: the waiting environment records the request, whichever environment receives the answer
/// stores it, and the waiting one takes it.
/// </summary>
internal interface IServerRequestStore
{
    /// <summary>The most bytes one request's record, its answer included, may hold (see <see cref="RelayAnswerOutcome.TooLarge"/>).</summary>
    int MaxRecordBytes { get; }

    /// <summary>Records that request <paramref name="id"/> waits for an answer until its call's <paramref name="deadline"/>.</summary>
    Task AddAsync(string id, string method, DateTimeOffset deadline, CancellationToken cancellationToken);

    /// <summary>Stores a client's answer (JSON-RPC response JSON) for request <paramref name="id"/>, if it waits for one.</summary>
    Task<RelayAnswerOutcome> AnswerAsync(string id, string answer, CancellationToken cancellationToken);

    /// <summary>The answer to request <paramref name="id"/> once one is stored (and the request's record removed); null until then.</summary>
    Task<string?> TakeAnswerAsync(string id, CancellationToken cancellationToken);

    /// <summary>Removes request <paramref name="id"/>'s record: it was answered in this environment, or its call ended.</summary>
    Task RemoveAsync(string id, CancellationToken cancellationToken);
}

/// <summary>What became of a client's answer offered to the store.</summary>
internal enum RelayAnswerOutcome
{
    /// <summary>Stored for the waiting environment.</summary>
    Accepted,

    /// <summary>No request with that id waits (never made, or its call ended and its record was removed).</summary>
    Unknown,

    /// <summary>The request's call has passed its deadline.</summary>
    Expired,

    /// <summary>The request was answered already.</summary>
    AlreadyAnswered,

    /// <summary>The request was made by another function.</summary>
    OtherFunction,

    /// <summary>The answer would make the request's record larger than the store holds; nothing was stored.</summary>
    TooLarge,
}
