namespace McpLambda.Runtime.Protocol;

/// <summary>The JSON-RPC 2.0 error codes this library answers with.</summary>
internal static class JsonRpcErrorCodes
{
    /// <summary>Invalid JSON was received.</summary>
    public const int ParseError = -32700;

    /// <summary>The JSON is not a valid JSON-RPC request object.</summary>
    public const int InvalidRequest = -32600;

    /// <summary>The method does not exist or is not available.</summary>
    public const int MethodNotFound = -32601;

    /// <summary>Invalid method parameters.</summary>
    public const int InvalidParams = -32602;

    /// <summary>Internal error: the server could not answer (it crashed or could not start).</summary>
    public const int InternalError = -32603;

    /// <summary>The connection to the server closed before it answered (MCP SDK convention).</summary>
    public const int ConnectionClosed = -32000;

    /// <summary>The server did not answer in time (MCP SDK convention).</summary>
    public const int RequestTimeout = -32001;

    /// <summary>The HTTP headers do not match the body, or a required one is missing (MCP 2026-07-28, <c>HeaderMismatch</c>).</summary>
    public const int HeaderMismatch = -32020;

    /// <summary>The request needs a client capability its <c>_meta</c> does not declare (MCP 2026-07-28).</summary>
    public const int MissingRequiredClientCapability = -32021;

    /// <summary>The request names a protocol version this function does not speak; <c>data.supported</c> lists those it does (MCP 2026-07-28).</summary>
    public const int UnsupportedProtocolVersion = -32022;
}
