using ModelContextProtocol.Protocol;

namespace McpLambda.Runtime.JsonRpc;

/// <summary>
/// The HTTP status of a refused client message when it is not 400 (413 for an answer too large to relay), carried with
/// the JSON-RPC error in its context, which is never serialized: message handlers answer in JSON-RPC only, and the
/// Streamable HTTP rules turn a refusal into a response.
/// </summary>
internal static class RefusalStatus
{
    /// <summary>The status of a refusal that asks for none.</summary>
    public const int Default = 400;

    private const string Key = "McpLambda.RefusalStatus";

    /// <summary>Marks <paramref name="error"/> as refusing with HTTP <paramref name="status"/>.</summary>
    public static JsonRpcError WithHttpStatus(this JsonRpcError error, int status)
    {
        error.Context ??= new JsonRpcMessageContext();
        (error.Context.Items ??= new Dictionary<string, object?>())[Key] = status;
        return error;
    }

    /// <summary>The HTTP status <paramref name="error"/> refuses with.</summary>
    public static int HttpStatus(this JsonRpcError error) => error.ExplicitHttpStatus() ?? Default;

    /// <summary>
    /// The HTTP status <paramref name="error"/> was marked with, or null: an error answering a request goes out with 200
    /// unless marked (MCP 2026-07-28 gives some errors their own status: 400 for a bad <c>_meta</c> or header, 404 for an
    /// unknown method).
    /// </summary>
    public static int? ExplicitHttpStatus(this JsonRpcError error)
        => error.Context?.Items is { } items && items.TryGetValue(Key, out var status) && status is int code ? code : null;
}
