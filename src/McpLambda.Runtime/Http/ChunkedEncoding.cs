using System.Globalization;
using System.Text;

namespace McpLambda.Runtime.Http;

/// <summary>HTTP/1.1 chunked transfer coding, as the streaming writers send it.</summary>
internal static class ChunkedEncoding
{
    /// <summary>The chunk that ends a body without trailers.</summary>
    public static ReadOnlyMemory<byte> LastChunk { get; } = "0\r\n\r\n"u8.ToArray();

    /// <summary><paramref name="data"/> as one chunk: its size in hex, CRLF, the bytes, CRLF; one buffer, for one write.</summary>
    public static byte[] Frame(ReadOnlySpan<byte> data)
    {
        var size = Encoding.ASCII.GetBytes(data.Length.ToString("x", CultureInfo.InvariantCulture) + "\r\n");
        var chunk = new byte[size.Length + data.Length + 2];
        size.CopyTo(chunk, 0);
        data.CopyTo(chunk.AsSpan(size.Length));
        "\r\n"u8.CopyTo(chunk.AsSpan(size.Length + data.Length));
        return chunk;
    }
}
