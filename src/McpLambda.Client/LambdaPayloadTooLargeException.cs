using ModelContextProtocol;

namespace McpLambda.Client;

/// <summary>A JSON-RPC message is larger than the invocation payload limit; it was not sent.</summary>
public sealed class LambdaPayloadTooLargeException : McpException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="payloadBytes">The size of the serialized message.</param>
    /// <param name="limitBytes">The limit it exceeds.</param>
    public LambdaPayloadTooLargeException(long payloadBytes, long limitBytes)
        : base($"The JSON-RPC message is {payloadBytes} bytes, more than the {limitBytes}-byte limit of a synchronous Lambda invocation; it was not sent.")
    {
        PayloadBytes = payloadBytes;
        LimitBytes = limitBytes;
    }

    /// <summary>The size of the serialized message in bytes.</summary>
    public long PayloadBytes { get; }

    /// <summary>The limit in bytes.</summary>
    public long LimitBytes { get; }
}
