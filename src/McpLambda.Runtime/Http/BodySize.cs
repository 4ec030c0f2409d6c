namespace McpLambda.Runtime.Http;

/// <summary>
/// The bytes <paramref name="body"/> takes where a response carries it, which is what counts against a response limit:
/// its length where it goes as it is, more where the response escapes it (a buffered Lambda response event).
/// </summary>
internal delegate long BodySize(ReadOnlySpan<byte> body);

/// <summary>The size of a body that goes as it is.</summary>
internal static class BodySizes
{
    /// <summary>A body that goes as it is: a streamed response, an Invoke payload, a local connection.</summary>
    public static long AsIs(ReadOnlySpan<byte> body) => body.Length;
}
