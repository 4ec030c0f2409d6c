using System.Reflection;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace McpLambda.Generators.Tests;

/// <summary>Unrelated edits leave every named pipeline step cached, and the output unchanged.</summary>
public class IncrementalityTests
{
    private const string Function = """
        using McpLambda;

        namespace Samples;

        [McpStdioServer("npx", "server", EnvironmentVariables = new[] { "A=1" })]
        [McpTransport(McpTransport.ApiGateway)]
        [McpTransport(McpTransport.LambdaInvoke)]
        public partial class Function
        {
            public static int Helper() => 1;
        }
        """;

    private const string Unrelated = """
        namespace Samples;

        public class Unrelated
        {
            public int Value => 1;
        }
        """;

    public static TheoryData<string> Edits => ["add-file", "edit-unrelated-class", "edit-function-body"];

    [Theory]
    [MemberData(nameof(Edits))]
    public void UnrelatedEditKeepsStepsCached(string edit)
    {
        var compilation = TestCompilation.Create(Function, Unrelated);
        var driver = TestCompilation.CreateDriver(trackSteps: true).RunGenerators(compilation);
        var first = driver.GetRunResult();

        var edited = edit switch
        {
            "add-file" => compilation.AddSyntaxTrees(CSharpSyntaxTree.ParseText("public class Another { }", TestCompilation.ParseOptions, path: "Another.cs")),
            "edit-unrelated-class" => Replace(compilation, 1, Unrelated.Replace("=> 1;", "=> 2;", StringComparison.Ordinal)),
            "edit-function-body" => Replace(compilation, 0, Function.Replace("Helper() => 1;", "Helper() => 2;", StringComparison.Ordinal)),
            _ => throw new ArgumentOutOfRangeException(nameof(edit)),
        };
        driver = driver.RunGenerators(edited);
        var second = driver.GetRunResult();

        Assert.Equal(
            first.GeneratedTrees.Select(t => t.ToString()),
            second.GeneratedTrees.Select(t => t.ToString()));

        var steps = second.Results.Single().TrackedSteps;
        foreach (var name in TrackingStepNames())
        {
            Assert.True(steps.ContainsKey(name), $"Step '{name}' was not tracked.");
            var reasons = steps[name].SelectMany(s => s.Outputs).Select(o => o.Reason).ToList();
            Assert.NotEmpty(reasons);
            Assert.All(reasons, r => Assert.True(
                r is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged,
                $"Step '{name}' produced {r} after an unrelated edit ({edit})."));
        }

        Assert.All(
            second.Results.Single().TrackedOutputSteps.SelectMany(s => s.Value).SelectMany(s => s.Outputs),
            o => Assert.Equal(IncrementalStepRunReason.Cached, o.Reason));
    }

    [Fact]
    public void ChangingTheAttributeRegenerates()
    {
        var compilation = TestCompilation.Create(Function, Unrelated);
        var driver = TestCompilation.CreateDriver(trackSteps: true).RunGenerators(compilation);

        driver = driver.RunGenerators(Replace(compilation, 0, Function.Replace("\"A=1\"", "\"A=2\"", StringComparison.Ordinal)));
        var result = driver.GetRunResult();

        Assert.Contains(
            result.Results.Single().TrackedSteps[TrackingNames.InitialExtraction].SelectMany(s => s.Outputs),
            o => o.Reason == IncrementalStepRunReason.Modified);
        Assert.Contains("[\"A\"] = \"2\"", result.GeneratedTrees.Single().ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void ModelHoldsNoSymbolsOrSyntax()
    {
        // Symbols, syntax nodes and compilations in the model would defeat caching (and keep compilations alive).
        var banned = new[] { typeof(ISymbol), typeof(SyntaxNode), typeof(Compilation), typeof(SemanticModel), typeof(Location) };
        var checkedTypes = new HashSet<Type>();
        void Check(Type type)
        {
            if (!checkedTypes.Add(type) || type.IsPrimitive || type == typeof(string) || type.IsEnum)
            {
                return;
            }

            Assert.DoesNotContain(banned, b => b.IsAssignableFrom(type));
            foreach (var argument in type.IsGenericType ? type.GetGenericArguments() : [])
            {
                Check(argument);
            }

            foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.GetIndexParameters().Length == 0))
            {
                Check(property.PropertyType);
            }
        }

        Check(typeof(McpFunctionToGenerate));
        Assert.Contains(typeof(EnvironmentVariable), checkedTypes);
    }

    private static Compilation Replace(Compilation compilation, int index, string newText)
    {
        var old = compilation.SyntaxTrees.ElementAt(index);
        return compilation.ReplaceSyntaxTree(old, old.WithChangedText(Microsoft.CodeAnalysis.Text.SourceText.From(newText)));
    }

    private static IEnumerable<string> TrackingStepNames()
        => typeof(TrackingNames)
            .GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(f => f.IsLiteral && f.FieldType == typeof(string))
            .Select(f => (string)f.GetRawConstantValue()!);
}
