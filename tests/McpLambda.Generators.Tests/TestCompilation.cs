using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;

namespace McpLambda.Generators.Tests;

/// <summary>Builds compilations against the real Abstractions and Runtime assemblies, and runs the generator and analyzer on them.</summary>
internal static class TestCompilation
{
    public static readonly CSharpParseOptions ParseOptions = new(LanguageVersion.Latest);

    /// <summary>The shared framework (from the trusted platform assemblies) plus McpLambda.Abstractions and McpLambda.Runtime.</summary>
    public static readonly ImmutableArray<MetadataReference> References = BuildReferences();

    public static CSharpCompilation Create(IEnumerable<string> sources, OutputKind outputKind = OutputKind.DynamicallyLinkedLibrary)
        => CSharpCompilation.Create(
            "TestFunctions",
            sources.Select((s, i) => CSharpSyntaxTree.ParseText(s, ParseOptions, path: $"Source{i}.cs")),
            References,
            new CSharpCompilationOptions(outputKind, nullableContextOptions: NullableContextOptions.Enable));

    public static CSharpCompilation Create(params string[] sources) => Create((IEnumerable<string>)sources);

    public static GeneratorDriver CreateDriver(bool trackSteps = false)
        => CSharpGeneratorDriver.Create(
            [new McpFunctionGenerator().AsSourceGenerator()],
            parseOptions: ParseOptions,
            driverOptions: new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: trackSteps));

    /// <summary>Runs the generator; returns the generated files by hint name, and the compilation with them added.</summary>
    public static (ImmutableArray<GeneratedSourceResult> Sources, Compilation Output, ImmutableArray<Diagnostic> GeneratorDiagnostics) RunGenerator(Compilation input)
    {
        var driver = CreateDriver().RunGeneratorsAndUpdateCompilation(input, out var output, out var diagnostics);
        var result = driver.GetRunResult();
        Assert.Empty(result.Results.SelectMany(r => r.Exception is null ? [] : new[] { r.Exception }));
        return (result.Results.Single().GeneratedSources, output, diagnostics);
    }

    /// <summary>The source the generator emits for <paramref name="source"/>, which must hold exactly one function class.</summary>
    public static (string HintName, string Text) GenerateSingle(string source)
    {
        var (sources, _, diagnostics) = RunGenerator(Create(source));
        Assert.Empty(diagnostics);
        var generated = Assert.Single(sources);
        return (generated.HintName, generated.SourceText.ToString());
    }

    /// <summary>The analyzer's diagnostics for <paramref name="compilation"/>.</summary>
    public static async Task<ImmutableArray<Diagnostic>> AnalyzeAsync(Compilation compilation, IReadOnlyDictionary<string, string>? buildProperties = null)
    {
        var options = new AnalyzerOptions([], new BuildProperties(buildProperties ?? new Dictionary<string, string>()));
        var withAnalyzers = compilation.WithAnalyzers([new McpLambda.Generators.Diagnostics.McpFunctionAnalyzer()], options);
        return await withAnalyzers.GetAnalyzerDiagnosticsAsync();
    }

    /// <summary>MSBuild properties as the compiler hands them to analyzers (<c>build_property.&lt;Name&gt;</c>, the global options).</summary>
    private sealed class BuildProperties(IReadOnlyDictionary<string, string> properties) : AnalyzerConfigOptionsProvider
    {
        public override AnalyzerConfigOptions GlobalOptions { get; } = new Options(properties.ToDictionary(p => "build_property." + p.Key, p => p.Value));

        public override AnalyzerConfigOptions GetOptions(SyntaxTree tree) => Options.Empty;

        public override AnalyzerConfigOptions GetOptions(AdditionalText textFile) => Options.Empty;

        private sealed class Options(Dictionary<string, string> values) : AnalyzerConfigOptions
        {
            public static readonly Options Empty = new([]);

            public override bool TryGetValue(string key, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out string? value) => values.TryGetValue(key, out value);
        }
    }

    private static ImmutableArray<MetadataReference> BuildReferences()
    {
        var frameworkDirectory = Path.GetDirectoryName(typeof(object).Assembly.Location)!;
        var framework = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!)
            .Split(Path.PathSeparator)
            .Where(p => string.Equals(Path.GetDirectoryName(p), frameworkDirectory, StringComparison.Ordinal))
            .Where(p => p.EndsWith(".dll", StringComparison.OrdinalIgnoreCase));

        string[] mcpLambda =
        [
            typeof(McpStdioServerAttribute).Assembly.Location,
            typeof(McpLambda.Runtime.StdioServerOptions).Assembly.Location,
        ];

        return [.. framework.Concat(mcpLambda).Distinct(StringComparer.Ordinal).Select(p => (MetadataReference)MetadataReference.CreateFromFile(p))];
    }
}
