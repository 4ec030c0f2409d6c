namespace McpLambda.Generators.Tests;

/// <summary>The emitted source, compared with the baselines in <c>Snapshots/</c>.</summary>
public class GeneratorSnapshotTests
{
    [Fact]
    public void ApiGatewayFunctionInBlockNamespace()
    {
        const string source = """
            using McpLambda;

            namespace Samples.Everything
            {
                [McpStdioServer("npx", "--offline", "@modelcontextprotocol/server-everything")]
                [McpTransport(McpTransport.ApiGateway)]
                public partial class EverythingFunction;
            }
            """;

        var (hintName, text) = TestCompilation.GenerateSingle(source);

        Assert.Equal("Samples.Everything.EverythingFunction.McpLambda.g.cs", hintName);
        SnapshotAssert.Matches(text, "ApiGatewayFunctionInBlockNamespace");
    }

    [Fact]
    public void GlobalNamespaceWithEveryOptionAndEscapes()
    {
        const string source = """"
            using McpLambda;

            [McpStdioServer(
                "C:\\Program Files\\node\\npx.cmd",
                "--greeting=\"hi\"\tthere\n",
                "",
                "caf\u00e9 \u2603",
                WorkingDirectory = @"servers\fs ""quoted""",
                EnvironmentVariables = new[] { "LOG_LEVEL=debug", "CONNECTION=a=b;c=\"d\"", "EMPTY=", "PATH_EXTRA=\\\\share\\bin" },
                InheritEnvironment = true,
                StartupTimeoutSeconds = 90,
                Lifetime = McpServerLifetime.PerInvocation,
                GenerateMain = false)]
            [McpTransport(McpTransport.LambdaInvoke)]
            internal sealed partial class GlobalFunction
            {
                public static System.Threading.Tasks.Task<int> Main(string[] args) => RunAsync(args);
            }
            """";

        var (hintName, text) = TestCompilation.GenerateSingle(source);

        Assert.Equal("GlobalFunction.McpLambda.g.cs", hintName);
        SnapshotAssert.Matches(text, "GlobalNamespaceWithEveryOptionAndEscapes");
    }

    [Fact]
    public void SeveralTransportsAreCompositeInEnumOrder()
    {
        const string source = """
            using McpLambda;

            namespace Samples.Multi
            {
                [McpStdioServer("dotnet", "run", "--project", "Server")]
                [McpTransport(McpTransport.LambdaInvoke)]
                [McpTransport(McpTransport.ApiGateway)]
                [McpTransport(McpTransport.BedrockAgentCoreGateway)]
                [McpTransport(McpTransport.HttpApi)]
                public static partial class MultiFunction
                {
                }
            }
            """;

        var (hintName, text) = TestCompilation.GenerateSingle(source);

        Assert.Equal("Samples.Multi.MultiFunction.McpLambda.g.cs", hintName);
        SnapshotAssert.Matches(text, "SeveralTransportsAreCompositeInEnumOrder");
    }

    [Fact]
    public void FileScopedNamespace()
    {
        const string source = """
            using McpLambda;

            namespace Contoso.Functions.Filesystem;

            [McpStdioServer("npx", "@modelcontextprotocol/server-filesystem", "/tmp", StartupTimeoutSeconds = 15)]
            [McpTransport(McpTransport.FunctionUrl)]
            public partial class FilesystemFunction
            {
                public static string Describe() => McpServer.ToString();
            }
            """;

        var (hintName, text) = TestCompilation.GenerateSingle(source);

        Assert.Equal("Contoso.Functions.Filesystem.FilesystemFunction.McpLambda.g.cs", hintName);
        SnapshotAssert.Matches(text, "FileScopedNamespace");
    }

    [Fact]
    public void RecordClassWithoutArguments()
    {
        const string source = """
            using McpLambda;

            namespace Samples;

            [McpStdioServer("my-server")]
            [McpTransport(McpTransport.HttpApi)]
            public sealed partial record RecordFunction;
            """;

        var (hintName, text) = TestCompilation.GenerateSingle(source);

        Assert.Equal("Samples.RecordFunction.McpLambda.g.cs", hintName);
        SnapshotAssert.Matches(text, "RecordClassWithoutArguments");
    }

    [Theory]
    [InlineData("public class NotPartial;")]
    [InlineData("public partial class Generic<T>;")]
    [InlineData("public partial class Outer { [McpStdioServer(\"npx\")] [McpTransport(McpTransport.ApiGateway)] public partial class Nested; }")]
    public void InvalidClassesGetNoSource(string declaration)
    {
        var source = "using McpLambda;\n"
            + (declaration.StartsWith("public partial class Outer", StringComparison.Ordinal)
                ? declaration
                : "[McpStdioServer(\"npx\")]\n[McpTransport(McpTransport.ApiGateway)]\n" + declaration);

        var (sources, _, diagnostics) = TestCompilation.RunGenerator(TestCompilation.Create(source));

        Assert.Empty(diagnostics);
        Assert.Empty(sources);
    }

    [Theory]
    [InlineData("[McpStdioServer(\" \")]\n[McpTransport(McpTransport.ApiGateway)]")]
    [InlineData("[McpStdioServer(\"npx\", EnvironmentVariables = new[] { \"NOEQUALS\" })]\n[McpTransport(McpTransport.ApiGateway)]")]
    [InlineData("[McpStdioServer(\"npx\")]")]
    [InlineData("[McpStdioServer(\"npx\")]\n[McpTransport((McpTransport)42)]")]
    [InlineData("[McpStdioServer(\"npx\")]\n[McpTransport(McpTransport.HttpApi)]\n[McpTransport(McpTransport.FunctionUrl)]")]
    [InlineData("[McpStdioServer(\"npx\")]\n[McpTransport(McpTransport.ApiGateway)]\n[McpTransport(McpTransport.ApiGateway)]")]
    public void InvalidAttributesGetNoSource(string attributes)
    {
        var source = "using McpLambda;\n" + attributes + "\npublic partial class Function;";

        var (sources, _, _) = TestCompilation.RunGenerator(TestCompilation.Create(source));

        Assert.Empty(sources);
    }

    [Fact]
    public void UserMainWithGenerateMainGetsNoSource()
    {
        const string source = """
            using McpLambda;

            [McpStdioServer("npx")]
            [McpTransport(McpTransport.ApiGateway)]
            public partial class Function
            {
                public static void Main() { }
            }
            """;

        var (sources, _, _) = TestCompilation.RunGenerator(TestCompilation.Create(source));

        Assert.Empty(sources);
    }

    [Fact]
    public void TwoFunctionsGetTwoFiles()
    {
        const string source = """
            using McpLambda;

            namespace A
            {
                [McpStdioServer("a", GenerateMain = false)]
                [McpTransport(McpTransport.ApiGateway)]
                public partial class F;
            }

            namespace B
            {
                [McpStdioServer("b", GenerateMain = false)]
                [McpTransport(McpTransport.ApiGateway)]
                public partial class F;
            }
            """;

        var (sources, _, _) = TestCompilation.RunGenerator(TestCompilation.Create(source));

        Assert.Equal(["A.F.McpLambda.g.cs", "B.F.McpLambda.g.cs"], sources.Select(s => s.HintName).Order(StringComparer.Ordinal));
    }
}
