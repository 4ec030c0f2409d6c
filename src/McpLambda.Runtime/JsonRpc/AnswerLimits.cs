using McpLambda.Runtime.Protocol;

namespace McpLambda.Runtime.JsonRpc;

/// <summary>The dispatcher's default limits on what one request may ask and one answer may hold (the settings can change them).</summary>
internal static class AnswerLimits
{
    /// <summary>Answers larger than this are replaced by an error: Lambda's 6 MiB less 64 KiB for the response event's envelope.</summary>
    public const int DefaultMaxResponseBytes = LambdaLimits.PayloadBytes - (64 * 1024);

    /// <summary>
    /// Streamed answers may be larger (Lambda streams up to 200 MB), but the bridge holds and parses an answer whole, so
    /// the default stays well within a function's memory.
    /// </summary>
    public const int DefaultMaxStreamedResponseBytes = 32 * 1024 * 1024;

    /// <summary>A longer JSON-RPC batch is rejected whole: a 6 MiB body could otherwise hold some 150,000 messages.</summary>
    public const int DefaultMaxBatchLength = 100;
}
