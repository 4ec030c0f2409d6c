using Microsoft.CodeAnalysis.Text;

namespace McpLambda.Generators.Tests;

/// <summary>Source with expected diagnostic spans marked as <c>[|…|]</c>.</summary>
internal static class Markup
{
    public static (string Source, IReadOnlyList<TextSpan> Spans) Parse(string markup)
    {
        var spans = new List<TextSpan>();
        var source = markup;
        while (true)
        {
            var start = source.IndexOf("[|", StringComparison.Ordinal);
            if (start < 0)
            {
                break;
            }

            source = source.Remove(start, 2);
            var end = source.IndexOf("|]", start, StringComparison.Ordinal);
            Assert.True(end >= 0, "Unclosed [| in markup.");
            source = source.Remove(end, 2);
            spans.Add(TextSpan.FromBounds(start, end));
        }

        return (source, spans);
    }
}
