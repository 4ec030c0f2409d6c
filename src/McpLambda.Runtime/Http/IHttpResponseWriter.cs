namespace McpLambda.Runtime.Http;

/// <summary>
/// Where an HTTP answer goes: sent whole, or started and written piece by piece. When <see cref="IsLive"/>, each piece
/// reaches the client as it is written (a streamed Lambda response, local mode's connection); otherwise the pieces
/// are kept and sent together at the end (a buffered Lambda response).
/// </summary>
internal interface IHttpResponseWriter
{
    /// <summary>Whether written bytes reach the client before the answer ends.</summary>
    bool IsLive { get; }

    /// <summary>The bytes a body takes in the response this writer sends.</summary>
    BodySize SizeOf { get; }

    /// <summary>Sends a whole response; nothing may have been started.</summary>
    ValueTask SendAsync(BufferedHttpResponse response, CancellationToken cancellationToken);

    /// <summary>Sends the status and headers of a response whose body follows in <see cref="WriteAsync"/>.</summary>
    ValueTask StartAsync(int statusCode, HttpHeaderCollection headers, CancellationToken cancellationToken);

    /// <summary>Sends the next piece of the body started by <see cref="StartAsync"/>.</summary>
    ValueTask WriteAsync(ReadOnlyMemory<byte> chunk, CancellationToken cancellationToken);
}
