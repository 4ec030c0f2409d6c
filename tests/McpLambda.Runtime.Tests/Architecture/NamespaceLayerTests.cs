using System.Text.RegularExpressions;
using McpLambda.Tests;

namespace McpLambda.Runtime.Tests.Architecture;

/// <summary>
/// The runtime's namespaces, read from their files' <c>using</c> directives, use each other one way only: no two
/// namespaces (and no longer chain) depend on each other in a circle.
/// </summary>
public sealed partial class NamespaceLayerTests
{
    [Fact]
    public void No_namespace_of_the_runtime_depends_on_itself_through_others()
    {
        var graph = ReadGraph(Path.Combine(TestRepository.RootDirectory, "src", "McpLambda.Runtime"));

        var cycles = graph.Keys.Select(start => CycleFrom(graph, start)).OfType<string>().Distinct().ToList();

        Assert.True(graph.Count >= 10, $"only {graph.Count} namespaces were read");
        Assert.True(cycles.Count == 0, "namespaces in a circle: " + string.Join("; ", cycles));
    }

    private static Dictionary<string, HashSet<string>> ReadGraph(string root)
    {
        var graph = new Dictionary<string, HashSet<string>>();
        foreach (var file in Directory.EnumerateFiles(root, "*.cs", SearchOption.AllDirectories)
                     .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                                 && !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal)))
        {
            var text = File.ReadAllText(file);
            if (Namespace().Match(text) is not { Success: true } declared)
            {
                continue;
            }

            var name = declared.Groups[1].Value;
            var uses = graph.TryGetValue(name, out var known) ? known : graph[name] = [];
            foreach (Match used in Using().Matches(text))
            {
                if (used.Groups[1].Value != name)
                {
                    uses.Add(used.Groups[1].Value);
                }
            }
        }

        return graph;
    }

    /// <summary>A path from <paramref name="start"/> back to itself, written out, or null.</summary>
    private static string? CycleFrom(Dictionary<string, HashSet<string>> graph, string start)
    {
        var path = new Stack<string>();
        var seen = new HashSet<string>();
        return Visit(start);

        string? Visit(string node)
        {
            path.Push(node);
            foreach (var next in graph.GetValueOrDefault(node) ?? [])
            {
                if (next == start)
                {
                    return string.Join(" -> ", path.Reverse().Append(start));
                }

                if (seen.Add(next) && Visit(next) is { } found)
                {
                    return found;
                }
            }

            path.Pop();
            return null;
        }
    }

    [GeneratedRegex(@"^namespace (McpLambda\.Runtime[\w.]*);", RegexOptions.Multiline)]
    private static partial Regex Namespace();

    [GeneratedRegex(@"^using (McpLambda\.Runtime[\w.]*);", RegexOptions.Multiline)]
    private static partial Regex Using();
}
