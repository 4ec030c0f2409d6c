using System.Text;

namespace McpLambda.Runtime.Tests.Fuzzing;

/// <summary>What the runtime must answer for one entry of a body: nothing, a result, or an error code, and with which id.</summary>
/// <param name="Id">The id as raw JSON (<c>null</c> for <c>"id": null</c>); null when the entry gets no answer.</param>
/// <param name="Code">The JSON-RPC error code, or null for a result.</param>
internal readonly record struct ExpectedAnswer(string? Id, int? Code)
{
    public bool Answered => Id is not null;
}

/// <summary>How a body must be answered as a whole.</summary>
internal enum BodyVerdict
{
    /// <summary>Answered entry by entry (<see cref="FuzzBody.Answers"/>).</summary>
    Dispatched,

    /// <summary>Rejected whole with -32700 (empty, not JSON, or too deep).</summary>
    ParseError,

    /// <summary>Rejected whole with -32600 (not a message, a batch not allowed, empty or too long).</summary>
    InvalidRequest,

    /// <summary>Bytes whose reading the oracle does not predict (a BOM, a lone surrogate): only well-formedness is checked.</summary>
    Unpredicted,
}

/// <summary>A generated request body and what the rules say its answer is.</summary>
/// <param name="Bytes">The body as sent.</param>
/// <param name="IsBatch">Whether the body is a JSON array of messages.</param>
/// <param name="Verdict">How the body is answered as a whole.</param>
/// <param name="Answers">For a dispatched body, the expected answer of each entry, in order.</param>
/// <param name="RejectedId">For a single invalid message, the id its -32600 names (raw JSON).</param>
internal sealed record FuzzBody(byte[] Bytes, bool IsBatch, BodyVerdict Verdict, IReadOnlyList<ExpectedAnswer> Answers, string RejectedId = "null")
{
    public static FuzzBody Raw(string text, BodyVerdict verdict) => new(Encoding.UTF8.GetBytes(text), false, verdict, []);

    public static FuzzBody Raw(byte[] bytes, BodyVerdict verdict) => new(bytes, false, verdict, []);

    /// <summary>Whether a dispatched body gets any answer (else 202 / <c>{}</c>).</summary>
    public bool HasAnswers => Answers.Any(a => a.Answered);

    public override string ToString() => $"{Verdict} batch={IsBatch} {Encoding.UTF8.GetString(Bytes.AsSpan(0, Math.Min(Bytes.Length, 600)))}";
}
