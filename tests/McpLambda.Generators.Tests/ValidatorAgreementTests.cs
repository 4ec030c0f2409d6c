using Microsoft.CodeAnalysis;

namespace McpLambda.Generators.Tests;

/// <summary>The generator and the analyzer share one validator: a class gets code exactly when the analyzer reports no error for it.</summary>
public class ValidatorAgreementTests
{
    public static TheoryData<string> Functions() => new()
    {
        // valid
        """
        [McpLambda.McpStdioServer("npx")]
        [McpLambda.McpTransport(McpLambda.McpTransport.ApiGateway)]
        public partial class Function;
        """,
        // partial on the part with the attributes only: the other part lacks it
        """
        [McpLambda.McpStdioServer("npx")]
        [McpLambda.McpTransport(McpLambda.McpTransport.ApiGateway)]
        public partial class Function;
        public class Function { }
        """,
        // a warning only (MCPL009): still generated
        """
        [McpLambda.McpStdioServer("npx", StartupTimeoutSeconds = 0)]
        [McpLambda.McpTransport(McpLambda.McpTransport.ApiGateway)]
        public partial class Function;
        """,
        // conflicting transports (MCPL008)
        """
        [McpLambda.McpStdioServer("npx")]
        [McpLambda.McpTransport(McpLambda.McpTransport.HttpApi)]
        [McpLambda.McpTransport(McpLambda.McpTransport.FunctionUrl)]
        public partial class Function;
        """,
        // malformed environment entry (MCPL005)
        """
        [McpLambda.McpStdioServer("npx", EnvironmentVariables = new[] { "NO_EQUALS" })]
        [McpLambda.McpTransport(McpLambda.McpTransport.ApiGateway)]
        public partial class Function;
        """,
    };

    [Theory]
    [MemberData(nameof(Functions))]
    public async Task Code_is_generated_exactly_when_the_analyzer_reports_no_error(string source)
    {
        var compilation = TestCompilation.Create(source);

        var errors = (await TestCompilation.AnalyzeAsync(compilation)).Where(d => d.Severity == DiagnosticSeverity.Error && d.Id.StartsWith("MCPL", StringComparison.Ordinal));
        var (sources, _, _) = TestCompilation.RunGenerator(compilation);

        Assert.Equal(errors.Any(), sources.IsEmpty);
    }
}
