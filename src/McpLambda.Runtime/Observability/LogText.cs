using System.Buffers;
using System.Globalization;
using System.Text;

namespace McpLambda.Runtime.Observability;

/// <summary>
/// Keeps text-format log lines whole. A client names methods and tools, and exception messages quote what it sent, so
/// a line break in that text would let it write lines of its own ("forged" errors, fake request ids). Control characters
/// (C0, DEL, C1) and the Unicode line and paragraph separators, which log viewers and terminals may break lines at or
/// obey, are written as escapes instead: <c>\n</c>, <c>\r</c>, <c>\t</c>, <c>\uXXXX</c>. Backslashes stay as they are:
/// the escapes keep each line one line; they are not meant to be undone. (JSON lines need none of this: the JSON writer
/// escapes the same characters.)
/// </summary>
internal static class LogText
{
    private static readonly SearchValues<char> Escaped = SearchValues.Create(
        [.. Enumerable.Range(0, 0x20).Select(c => (char)c), .. Enumerable.Range(0x7F, 0x21).Select(c => (char)c), '\u2028', '\u2029']);

    /// <summary>Appends <paramref name="text"/> to <paramref name="line"/> with its control characters escaped.</summary>
    public static StringBuilder AppendEscaped(this StringBuilder line, string text)
    {
        var rest = text.AsSpan();
        for (int at; (at = rest.IndexOfAny(Escaped)) >= 0; rest = rest[(at + 1)..])
        {
            line.Append(rest[..at]);
            _ = rest[at] switch
            {
                '\n' => line.Append(@"\n"),
                '\r' => line.Append(@"\r"),
                '\t' => line.Append(@"\t"),
                var c => line.Append(CultureInfo.InvariantCulture, $@"\u{(int)c:x4}"),
            };
        }

        return line.Append(rest);
    }
}
