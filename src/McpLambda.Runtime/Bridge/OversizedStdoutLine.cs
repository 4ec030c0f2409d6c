using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace McpLambda.Runtime.Bridge;

/// <summary>
/// A stdout line longer than the bridge reads, of which only its length and its first and last bytes were kept:
/// enough to find which request it answers, as servers write <c>"id"</c> either at the very end (the TypeScript SDK)
/// or right after <c>"jsonrpc"</c> at the start (most others).
/// </summary>
/// <param name="Bytes">The line's length.</param>
/// <param name="Head">Its first bytes.</param>
/// <param name="Tail">Its last bytes.</param>
internal sealed partial record OversizedStdoutLine(long Bytes, byte[] Head, byte[] Tail)
{
    /// <summary>The numeric id the line answers (the bridge's own ids are numbers), or null when neither end names one.</summary>
    public long? RequestId
    {
        get
        {
            var match = IdAtEnd().Match(Encoding.UTF8.GetString(Tail));
            if (!match.Success)
            {
                match = FirstId().Match(Encoding.UTF8.GetString(Head));
            }

            return match.Success ? long.Parse(match.Groups[1].ValueSpan, NumberStyles.None, CultureInfo.InvariantCulture) : null;
        }
    }

    [GeneratedRegex("\"id\"\\s*:\\s*(\\d{1,18})\\s*\\}\\s*$", RegexOptions.CultureInvariant)]
    private static partial Regex IdAtEnd();

    [GeneratedRegex("\"id\"\\s*:\\s*(\\d{1,18})", RegexOptions.CultureInvariant)]
    private static partial Regex FirstId();
}
