using Microsoft.CodeAnalysis;

namespace McpLambda.Generators.Tests;

/// <summary>The generated code compiles, warning-free, against the real McpLambda.Abstractions and McpLambda.Runtime.</summary>
public class CompileTests
{
    [Theory]
    [InlineData("""
        using McpLambda;

        namespace Samples.Everything;

        [McpStdioServer("npx", "--offline", "@modelcontextprotocol/server-everything")]
        [McpTransport(McpTransport.ApiGateway)]
        public partial class EverythingFunction;
        """, OutputKind.ConsoleApplication)]
    [InlineData(""""
        using McpLambda;

        [McpStdioServer(
            "C:\\node\\npx.cmd",
            "--greeting=\"hi\"\tthere\n",
            "caf\u00e9",
            WorkingDirectory = @"servers\fs ""quoted""",
            EnvironmentVariables = new[] { "LOG_LEVEL=debug", "CONNECTION=a=b;c=\"d\"", "EMPTY=" },
            InheritEnvironment = true,
            StartupTimeoutSeconds = 90,
            Lifetime = McpServerLifetime.PerInvocation,
            GenerateMain = false)]
        [McpTransport(McpTransport.ApiGateway)]
        internal static partial class GlobalFunction
        {
            public static async System.Threading.Tasks.Task<int> Main(string[] args) => await RunAsync(args);
        }
        """", OutputKind.ConsoleApplication)]
    [InlineData("""
        using McpLambda;

        namespace Samples
        {
            [McpStdioServer("my-server", GenerateMain = false)]
            [McpTransport(McpTransport.ApiGateway)]
            public sealed partial record RecordFunction;
        }
        """, OutputKind.DynamicallyLinkedLibrary)]
    public void GeneratedCodeCompilesWithoutWarnings(string source, OutputKind outputKind)
    {
        var (sources, output, generatorDiagnostics) = TestCompilation.RunGenerator(TestCompilation.Create([source], outputKind));

        Assert.Single(sources);
        Assert.Empty(generatorDiagnostics);
        AssertNoWarningsAndEmits(output);
    }

    [Fact]
    public void SeveralTransportsCompileWithoutWarnings()
    {
        const string source = """
            using McpLambda;

            namespace Samples.Multi;

            [McpStdioServer("npx", "server")]
            [McpTransport(McpTransport.ApiGateway)]
            [McpTransport(McpTransport.HttpApi)]
            [McpTransport(McpTransport.BedrockAgentCoreGateway)]
            [McpTransport(McpTransport.LambdaInvoke)]
            public partial class MultiFunction;
            """;

        var (sources, output, generatorDiagnostics) = TestCompilation.RunGenerator(
            TestCompilation.Create([source, .. StandInsForMissingTransports()], OutputKind.ConsoleApplication));

        Assert.Single(sources);
        Assert.Empty(generatorDiagnostics);
        AssertNoWarningsAndEmits(output);
    }

    [Fact]
    public void FunctionUrlCompilesWithoutWarnings()
    {
        const string source = """
            using McpLambda;

            [McpStdioServer("npx", "server")]
            [McpTransport(McpTransport.FunctionUrl)]
            public partial class UrlFunction;
            """;

        var (sources, output, _) = TestCompilation.RunGenerator(
            TestCompilation.Create([source, .. StandInsForMissingTransports()], OutputKind.ConsoleApplication));

        Assert.Single(sources);
        AssertNoWarningsAndEmits(output);
    }

    private static void AssertNoWarningsAndEmits(Compilation compilation)
    {
        Assert.Empty(compilation.GetDiagnostics().Where(d => d.Severity >= DiagnosticSeverity.Warning));
        using var stream = new MemoryStream();
        var emit = compilation.Emit(stream);
        Assert.True(emit.Success, string.Join(Environment.NewLine, emit.Diagnostics));
    }

    [Theory]
    [InlineData("public class NotPartialFunction;", "MCPL001")]
    [InlineData("public partial class NoTransportFunction;", "MCPL003", false)]
    public async Task A_rejected_function_gets_its_own_error_and_no_missing_Main_on_top(string declaration, string expected, bool withTransport = true)
    {
        var source = $$"""
            using McpLambda;

            namespace Samples;

            [McpStdioServer("npx", "--offline", "@modelcontextprotocol/server-everything")]
            {{(withTransport ? "[McpTransport(McpTransport.ApiGateway)]" : "")}}
            {{declaration}}
            """;
        var (_, output, _) = TestCompilation.RunGenerator(TestCompilation.Create([source], OutputKind.ConsoleApplication));

        var errors = output.GetDiagnostics().Concat(await TestCompilation.AnalyzeAsync(output))
            .Where(d => d.Severity == DiagnosticSeverity.Error).Select(d => d.Id).Distinct();

        Assert.Equal([expected], errors);
    }

    [Fact]
    public void A_rejected_function_next_to_a_valid_one_adds_no_second_Main()
    {
        var (sources, output, _) = TestCompilation.RunGenerator(TestCompilation.Create(
            [
                """
                using McpLambda;
                [McpStdioServer("npx", "server")]
                [McpTransport(McpTransport.ApiGateway)]
                public partial class ValidFunction;
                """,
                """
                using McpLambda;
                [McpStdioServer("npx", "server")]
                [McpTransport(McpTransport.ApiGateway)]
                public class NotPartialFunction;
                """,
            ],
            OutputKind.ConsoleApplication));

        Assert.DoesNotContain(sources, s => s.HintName.Contains("StandIn", StringComparison.Ordinal));
        Assert.DoesNotContain(output.GetDiagnostics(), d => d.Id is "CS5001" or "CS0017");
    }

    /// <summary>
    /// Minimal declarations of the transport types the runtime does not have yet, so the multi-transport output can be
    /// compiled today. Each is added only while the real type is missing from McpLambda.Runtime.
    /// </summary>
    private static IEnumerable<string> StandInsForMissingTransports()
    {
        var runtime = typeof(McpLambda.Runtime.Transports.LambdaEventTransport).Assembly;
        foreach (var name in new[] { "HttpApiTransport", "FunctionUrlTransport", "AgentCoreGatewayTransport", "LambdaInvokeTransport" })
        {
            if (runtime.GetType("McpLambda.Runtime.Transports." + name) is null)
            {
                yield return $$"""
                    namespace McpLambda.Runtime.Transports
                    {
                        public static class {{name}}
                        {
                            public static LambdaEventTransport Instance => throw new System.NotImplementedException();
                        }
                    }
                    """;
            }
        }

        if (runtime.GetType("McpLambda.Runtime.Transports.CompositeTransport") is null)
        {
            yield return $$"""
                namespace McpLambda.Runtime.Transports
                {
                    public sealed class CompositeTransport : LambdaEventTransport
                    {
                        public CompositeTransport(params LambdaEventTransport[] transports)
                        {
                        }
                {{AbstractMemberStubs()}}
                    }
                }
                """;
        }
    }

    /// <summary>Throwing overrides of whatever <c>LambdaEventTransport</c> declares abstract today.</summary>
    private static string AbstractMemberStubs()
    {
        var compilation = TestCompilation.Create();
        var baseType = compilation.GetTypeByMetadataName("McpLambda.Runtime.Transports.LambdaEventTransport")!;
        var format = new SymbolDisplayFormat(
            globalNamespaceStyle: SymbolDisplayGlobalNamespaceStyle.Included,
            typeQualificationStyle: SymbolDisplayTypeQualificationStyle.NameAndContainingTypesAndNamespaces,
            genericsOptions: SymbolDisplayGenericsOptions.IncludeTypeParameters,
            memberOptions: SymbolDisplayMemberOptions.IncludeType | SymbolDisplayMemberOptions.IncludeParameters | SymbolDisplayMemberOptions.IncludeRef,
            parameterOptions: SymbolDisplayParameterOptions.IncludeType | SymbolDisplayParameterOptions.IncludeName | SymbolDisplayParameterOptions.IncludeParamsRefOut,
            miscellaneousOptions: SymbolDisplayMiscellaneousOptions.UseSpecialTypes
                | SymbolDisplayMiscellaneousOptions.IncludeNullableReferenceTypeModifier
                | SymbolDisplayMiscellaneousOptions.EscapeKeywordIdentifiers);
        var stubs = new System.Text.StringBuilder();
        foreach (var member in baseType.GetMembers().Where(m => m.IsAbstract))
        {
            var accessibility = member.DeclaredAccessibility == Accessibility.Public ? "public" : "protected";
            switch (member)
            {
                case IMethodSymbol { MethodKind: MethodKind.Ordinary } method:
                    stubs.AppendLine($"        {accessibility} override {method.ToDisplayString(format)} => throw null!;");
                    break;
                case IPropertySymbol property:
                    var accessors = (property.GetMethod is null ? "" : " get => throw null!;") + (property.SetMethod is null ? "" : " set => throw null!;");
                    stubs.AppendLine($"        {accessibility} override {property.ToDisplayString(format)} {{{accessors} }}");
                    break;
            }
        }

        return stubs.ToString();
    }
}
