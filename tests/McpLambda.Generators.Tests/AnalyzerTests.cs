using Microsoft.CodeAnalysis;

namespace McpLambda.Generators.Tests;

/// <summary>One test per diagnostic id: the analyzer reports it, with that id, at the marked span.</summary>
public class AnalyzerTests
{
    [Fact]
    public Task MCPL001_ClassNotPartial() => AssertDiagnosticsAsync("MCPL001", DiagnosticSeverity.Error, """
        using McpLambda;

        [McpStdioServer("npx")]
        [McpTransport(McpTransport.ApiGateway)]
        public class [|Function|];
        """, "add the 'partial' modifier");

    [Fact]
    public Task MCPL002_NestedClass() => AssertDiagnosticsAsync("MCPL002", DiagnosticSeverity.Error, """
        using McpLambda;

        public partial class Outer
        {
            [McpStdioServer("npx")]
            [McpTransport(McpTransport.ApiGateway)]
            public partial class [|Inner|];
        }
        """, "nested in 'Outer'");

    [Fact]
    public Task MCPL002_GenericClass() => AssertDiagnosticsAsync("MCPL002", DiagnosticSeverity.Error, """
        using McpLambda;

        [McpStdioServer("npx")]
        [McpTransport(McpTransport.ApiGateway)]
        public partial class [|Function|]<T>;
        """, "top-level, non-generic");

    [Fact]
    public Task MCPL003_MissingTransport() => AssertDiagnosticsAsync("MCPL003", DiagnosticSeverity.Error, """
        using McpLambda;

        [McpStdioServer("npx")]
        public partial class [|Function|];
        """, "[McpTransport(McpTransport.ApiGateway)]");

    [Fact]
    public Task MCPL004_WhitespaceCommand() => AssertDiagnosticsAsync("MCPL004", DiagnosticSeverity.Error, """
        using McpLambda;

        [McpStdioServer([|"  "|], "arg")]
        [McpTransport(McpTransport.ApiGateway)]
        public partial class Function;
        """, "empty command");

    [Fact]
    public Task MCPL004_NullArgument() => AssertDiagnosticsAsync("MCPL004", DiagnosticSeverity.Error, """
        using McpLambda;

        [McpStdioServer("npx", "a", [|null|])]
        [McpTransport(McpTransport.ApiGateway)]
        public partial class Function;
        """, "null argument");

    [Fact]
    public Task MCPL005_MalformedEnvironmentEntries() => AssertDiagnosticsAsync("MCPL005", DiagnosticSeverity.Error, """
        using McpLambda;

        [McpStdioServer("npx", EnvironmentVariables = new[] { "OK=1", "ALSO_OK=", [|"=no-key"|], [|"HAS SPACE=1"|], [|"NO_EQUALS"|], [|null|] })]
        [McpTransport(McpTransport.ApiGateway)]
        public partial class Function;
        """, "KEY=VALUE");

    [Fact]
    public Task MCPL005_CollectionExpression() => AssertDiagnosticsAsync("MCPL005", DiagnosticSeverity.Error, """
        using McpLambda;

        [McpStdioServer("npx", EnvironmentVariables = ["A=1", [|" A=1"|]])]
        [McpTransport(McpTransport.ApiGateway)]
        public partial class Function;
        """, "\" A=1\"");

    [Fact]
    public Task MCPL006_UserMainWithGenerateMain() => AssertDiagnosticsAsync("MCPL006", DiagnosticSeverity.Error, """
        using McpLambda;

        [McpStdioServer("npx")]
        [McpTransport(McpTransport.ApiGateway)]
        public partial class Function
        {
            public static int [|Main|](string[] args) => 0;
        }
        """, "set GenerateMain = false");

    [Fact]
    public Task MCPL006_NotReportedWhenGenerateMainIsFalse() => AssertDiagnosticsAsync("MCPL006", DiagnosticSeverity.Error, """
        using McpLambda;

        [McpStdioServer("npx", GenerateMain = false)]
        [McpTransport(McpTransport.ApiGateway)]
        public partial class Function
        {
            public static System.Threading.Tasks.Task<int> Main(string[] args) => RunAsync(args);
        }
        """);

    [Fact]
    public Task MCPL007_UnsupportedTransport() => AssertDiagnosticsAsync("MCPL007", DiagnosticSeverity.Error, """
        using McpLambda;

        [McpStdioServer("npx")]
        [[|McpTransport((McpTransport)42)|]]
        public partial class Function;
        """, "use one of: ApiGateway, HttpApi, FunctionUrl, BedrockAgentCoreGateway, LambdaInvoke");

    [Fact]
    public Task MCPL008_HttpApiWithFunctionUrl() => AssertDiagnosticsAsync("MCPL008", DiagnosticSeverity.Error, """
        using McpLambda;

        [McpStdioServer("npx")]
        [McpTransport(McpTransport.HttpApi)]
        [McpTransport(McpTransport.LambdaInvoke)]
        [[|McpTransport(McpTransport.FunctionUrl)|]]
        public partial class Function;
        """, "payload format 2.0");

    [Fact]
    public Task MCPL008_DuplicateTransport() => AssertDiagnosticsAsync("MCPL008", DiagnosticSeverity.Error, """
        using McpLambda;

        [McpStdioServer("npx")]
        [McpTransport(McpTransport.ApiGateway)]
        [[|McpTransport(McpTransport.ApiGateway)|]]
        public partial class Function;
        """, "remove the duplicate");

    [Fact]
    public Task MCPL009_NonPositiveStartupTimeout() => AssertDiagnosticsAsync("MCPL009", DiagnosticSeverity.Warning, """
        using McpLambda;

        [McpStdioServer("npx", [|StartupTimeoutSeconds = 0|])]
        [McpTransport(McpTransport.ApiGateway)]
        public partial class Function;
        """, "use a positive number of seconds");

    [Fact]
    public Task MCPL011_UnpassableNames() => AssertDiagnosticsAsync("MCPL011", DiagnosticSeverity.Error, """
        using McpLambda;

        [McpStdioServer("npx", PassEnvironment = ["GITHUB_TOKEN", [|"AWS_SECRET_ACCESS_KEY"|], [|"A=1"|], [|"TWO WORDS"|], [|""|], [|null|], "FOO"])]
        [McpTransport(McpTransport.ApiGateway)]
        public partial class Function;
        """);

    [Fact]
    public Task MCPL011_CredentialsNeedInheritEnvironment() => AssertDiagnosticsAsync("MCPL011", DiagnosticSeverity.Error, """
        using McpLambda;

        [McpStdioServer("npx", PassEnvironment = new[] { [|"AWS_SESSION_TOKEN"|] })]
        [McpTransport(McpTransport.ApiGateway)]
        public partial class Function;
        """, "set InheritEnvironment = true");

    [Fact]
    public Task MCPL011_AssignmentsBelongInEnvironmentVariables() => AssertDiagnosticsAsync("MCPL011", DiagnosticSeverity.Error, """
        using McpLambda;

        [McpStdioServer("npx", PassEnvironment = [[|"TOKEN=abc"|]])]
        [McpTransport(McpTransport.ApiGateway)]
        public partial class Function;
        """, "EnvironmentVariables sets values");

    [Theory]
    [InlineData("npx", "provided.al2023", "<McpLambdaHost>nodejs22.x</McpLambdaHost>")]
    [InlineData("node", "provided.al2023", "<McpLambdaBundleNode>true</McpLambdaBundleNode>")]
    [InlineData("npx", "python3.13", "<McpLambdaHost>nodejs22.x</McpLambdaHost>")]
    [InlineData("python", "provided.al2023", "<McpLambdaHost>python3.13</McpLambdaHost>")]
    [InlineData("python3", "nodejs22.x", "pip install -t python")]
    [InlineData("uvx", "python3.13", "python -m <module>")]
    [InlineData("dotnet", "provided.al2023", "--self-contained -o server")]
    [InlineData("dotnet", "nodejs22.x", "<McpLambdaServerFile Include=\"server\" />")]
    public Task MCPL010_CommandTheHostDoesNotHave(string command, string host, string fix) => AssertDiagnosticsAsync("MCPL010", DiagnosticSeverity.Error, $$"""
        using McpLambda;

        [McpStdioServer([|"{{command}}"|], "server")]
        [McpTransport(McpTransport.FunctionUrl)]
        public partial class Function;
        """, fix, new() { ["McpLambdaHost"] = host });

    [Theory]
    [InlineData("npx", "nodejs22.x", "")]
    [InlineData("node", "nodejs22.x", "")]
    [InlineData("npx", "provided.al2023", "McpLambdaBundleNode=true")]
    [InlineData("node", "provided.al2023", "McpLambdaBundleNode=True")]
    [InlineData("python", "python3.13", "")]
    [InlineData("python3.13", "python3.13", "")]
    [InlineData("npx", "provided.al2023", "McpLambdaLayerCommandList=node,npx")]
    [InlineData("server/EchoServer", "provided.al2023", "")]
    [InlineData("./my-server", "nodejs22.x", "")]
    [InlineData("/opt/bin/node", "provided.al2023", "")]
    [InlineData("my-server", "provided.al2023", "")]
    public Task MCPL010_NotReportedForACommandTheHostStarts(string command, string host, string more)
    {
        var properties = new Dictionary<string, string> { ["McpLambdaHost"] = host };
        foreach (var property in more.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            properties[property.Split('=')[0]] = property.Split('=')[1];
        }

        return AssertDiagnosticsAsync("MCPL010", DiagnosticSeverity.Error, $$"""
            using McpLambda;

            [McpStdioServer("{{command}}", "server")]
            [McpTransport(McpTransport.FunctionUrl)]
            public partial class Function;
            """, buildProperties: properties);
    }

    [Fact]
    public Task MCPL010_NotReportedOutsideTheMcpLambdaBuild() => AssertDiagnosticsAsync("MCPL010", DiagnosticSeverity.Error, """
        using McpLambda;

        [McpStdioServer("npx", "server")]
        [McpTransport(McpTransport.FunctionUrl)]
        public partial class Function;
        """);

    [Fact]
    public async Task MCPL010_NamesTheCommandAndTheHost()
    {
        var (_, compilation, _) = TestCompilation.RunGenerator(TestCompilation.Create("""
            [McpLambda.McpStdioServer("uvx", "mcp-server-time")]
            [McpLambda.McpTransport(McpLambda.McpTransport.LambdaInvoke)]
            public partial class Function;
            """));

        var diagnostic = Assert.Single(await TestCompilation.AnalyzeAsync(compilation, new Dictionary<string, string> { ["McpLambdaHost"] = "python3.13" }));

        Assert.StartsWith(
            "'uvx' is not on the PATH of the python3.13 Lambda runtime (McpLambdaHost), so the deployed function cannot start its server; no Lambda runtime has uv",
            diagnostic.GetMessage(System.Globalization.CultureInfo.InvariantCulture),
            StringComparison.Ordinal);
    }

    [Fact]
    public async Task ValidFunctionWithGeneratedSourceHasNoDiagnostics()
    {
        // The analyzer runs after the generator in a real build, so it sees the generated Main: that must not be MCPL006.
        const string source = """
            using McpLambda;

            namespace Samples;

            [McpStdioServer("npx", "server", EnvironmentVariables = new[] { "A=1" }, WorkingDirectory = "srv")]
            [McpTransport(McpTransport.ApiGateway)]
            [McpTransport(McpTransport.LambdaInvoke)]
            public partial class Function;
            """;
        var (sources, output, _) = TestCompilation.RunGenerator(TestCompilation.Create(source));
        Assert.Single(sources);

        var diagnostics = await TestCompilation.AnalyzeAsync(output);

        Assert.Empty(diagnostics);
    }

    [Fact]
    public async Task ClassesWithoutTheAttributeAreIgnored()
    {
        var diagnostics = await TestCompilation.AnalyzeAsync(TestCompilation.Create("public class Plain { public static void Main() { } }"));

        Assert.Empty(diagnostics);
    }

    private static async Task AssertDiagnosticsAsync(
        string id, DiagnosticSeverity severity, string markup, string? messageContains = null, Dictionary<string, string>? buildProperties = null)
    {
        var (source, spans) = Markup.Parse(markup);
        // As in a build: the analyzer sees the compilation with whatever the generator added.
        var (_, compilation, _) = TestCompilation.RunGenerator(TestCompilation.Create(source));
        Assert.Empty(compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error));

        var diagnostics = await TestCompilation.AnalyzeAsync(compilation, buildProperties);

        // Only the diagnostic under test: a test that marks no span asserts it is absent, and no other id sneaks in.
        Assert.All(diagnostics, d => Assert.Equal(id, d.Id));
        Assert.Equal(spans, diagnostics.Select(d => d.Location.SourceSpan).OrderBy(s => s.Start));
        Assert.All(diagnostics, d =>
        {
            Assert.Equal(severity, d.Severity);
            Assert.Equal("Source0.cs", d.Location.SourceTree?.FilePath);
            if (messageContains is not null)
            {
                Assert.Contains(messageContains, d.GetMessage(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal);
            }
        });
    }
}
