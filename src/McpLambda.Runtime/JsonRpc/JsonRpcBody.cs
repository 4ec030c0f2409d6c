using System.Text.Json;
using McpLambda.Runtime.Protocol;
using ModelContextProtocol.Protocol;

namespace McpLambda.Runtime.JsonRpc;

/// <summary>
/// A request body read as JSON-RPC: one message or a batch, or the error that rejects the body whole
/// (not JSON, not a message, a batch the protocol revision does not have, an empty or too long batch). Every way
/// in reads its bodies here (through <see cref="McpMessageDispatcher.Read"/>), so they all apply the same rules.
/// </summary>
internal sealed class JsonRpcBody
{
    private JsonRpcBody(JsonRpcError? rejection, bool isBatch, IReadOnlyList<JsonRpcBodyEntry> entries)
    {
        Rejection = rejection;
        IsBatch = isBatch;
        Entries = entries;
    }

    /// <summary>The answer to a body that cannot be dispatched at all; null when it can.</summary>
    public JsonRpcError? Rejection { get; }

    /// <summary>Whether the body was a JSON array, whose answers go back as an array.</summary>
    public bool IsBatch { get; }

    /// <summary>The messages in order; an entry that is not a message carries the error that answers it.</summary>
    public IReadOnlyList<JsonRpcBodyEntry> Entries { get; }

    /// <summary>
    /// Whether answers go back: the body holds a request, or an entry that is no message (answered with its error). One
    /// of notifications and responses only gets none.
    /// </summary>
    public bool ExpectsAnswers => Entries.Any(e => e.Message is JsonRpcRequest or null);

    /// <summary>Reads <paramref name="body"/> under MCP revision <paramref name="protocolVersion"/>, which decides whether batches are allowed.</summary>
    /// <param name="body">The request body.</param>
    /// <param name="protocolVersion">The MCP revision the request names.</param>
    /// <param name="maxBatchLength">The most messages a batch may hold (<c>MCPLAMBDA_MAX_BATCH_LENGTH</c>).</param>
    public static JsonRpcBody Read(ReadOnlyMemory<byte> body, string protocolVersion, int maxBatchLength = AnswerLimits.DefaultMaxBatchLength)
    {
        if (body.IsEmpty)
        {
            return Rejected(JsonRpcMessages.Error(default, JsonRpcErrorCodes.ParseError, "Parse error: the request body is empty."));
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body);
        }
        catch (JsonException ex)
        {
            return Rejected(JsonRpcMessages.Error(default, JsonRpcErrorCodes.ParseError, "Parse error: " + ex.Message));
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Array)
            {
                var entry = JsonRpcBodyEntry.Read(root);
                return entry.Invalid is { } invalid ? Rejected(invalid) : new JsonRpcBody(null, isBatch: false, [entry]);
            }

            if (!McpProtocolVersions.AllowsBatches(protocolVersion))
            {
                return Rejected(JsonRpcMessages.Error(default, JsonRpcErrorCodes.InvalidRequest,
                    $"JSON-RPC batches are not part of MCP protocol version {protocolVersion}; send one message per request."));
            }

            if (root.GetArrayLength() == 0)
            {
                return Rejected(JsonRpcMessages.Error(default, JsonRpcErrorCodes.InvalidRequest, "Invalid Request: the batch is empty."));
            }

            if (root.GetArrayLength() > maxBatchLength)
            {
                return Rejected(JsonRpcMessages.Error(default, JsonRpcErrorCodes.InvalidRequest,
                    $"Invalid Request: the batch holds {root.GetArrayLength()} messages; this function takes at most {maxBatchLength} per batch " +
                    $"({EnvironmentVariableNames.MaxBatchLength}). Send the rest in further requests."));
            }

            return new JsonRpcBody(null, isBatch: true, [.. root.EnumerateArray().Select(JsonRpcBodyEntry.Read)]);
        }
    }

    private static JsonRpcBody Rejected(JsonRpcError error) => new(error, isBatch: false, []);
}
