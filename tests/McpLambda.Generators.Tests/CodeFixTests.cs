using McpLambda.Generators.Diagnostics;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Text;

namespace McpLambda.Generators.Tests;

/// <summary>MCPL001's fix, applied through a workspace.</summary>
public class CodeFixTests
{
    [Theory]
    [InlineData(
        "[McpStdioServer(\"npx\")]\n[McpTransport(McpTransport.ApiGateway)]\npublic sealed class Function;\n",
        "[McpStdioServer(\"npx\")]\n[McpTransport(McpTransport.ApiGateway)]\npublic sealed partial class Function;\n")]
    [InlineData(
        "namespace N\n{\n    [McpStdioServer(\"npx\")]\n    [McpTransport(McpTransport.ApiGateway)]\n    class Function\n    {\n    }\n}\n",
        "namespace N\n{\n    [McpStdioServer(\"npx\")]\n    [McpTransport(McpTransport.ApiGateway)]\n    partial class Function\n    {\n    }\n}\n")]
    [InlineData(
        "[McpStdioServer(\"npx\")]\n[McpTransport(McpTransport.ApiGateway)]\ninternal record Function;\n",
        "[McpStdioServer(\"npx\")]\n[McpTransport(McpTransport.ApiGateway)]\ninternal partial record Function;\n")]
    public async Task MCPL001_FixAddsPartial(string before, string after)
    {
        const string header = "using McpLambda;\n\n";
        using var workspace = new AdhocWorkspace();
        var projectId = ProjectId.CreateNewId();
        var solution = workspace.CurrentSolution.AddProject(ProjectInfo.Create(
            projectId,
            VersionStamp.Create(),
            "Functions",
            "Functions",
            LanguageNames.CSharp,
            compilationOptions: new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary),
            parseOptions: TestCompilation.ParseOptions,
            metadataReferences: TestCompilation.References));
        var documentId = DocumentId.CreateNewId(projectId);
        solution = solution.AddDocument(documentId, "Function.cs", SourceText.From(header + before));
        Assert.True(workspace.TryApplyChanges(solution));
        var document = workspace.CurrentSolution.GetDocument(documentId)!;

        var diagnostic = Assert.Single(await AnalyzeAsync(document), d => d.Id == "MCPL001");
        var actions = new List<CodeAction>();
        var context = new CodeFixContext(document, diagnostic, (action, _) => actions.Add(action), CancellationToken.None);
        await new MakePartialCodeFixProvider().RegisterCodeFixesAsync(context);
        var fix = Assert.Single(actions);
        Assert.Equal("Make the class partial", fix.Title);

        var operations = await fix.GetOperationsAsync(CancellationToken.None);
        var changed = Assert.Single(operations.OfType<ApplyChangesOperation>()).ChangedSolution;
        Assert.True(workspace.TryApplyChanges(changed));
        var fixedDocument = workspace.CurrentSolution.GetDocument(documentId)!;

        Assert.Equal(header + after, (await fixedDocument.GetTextAsync()).ToString());
        Assert.DoesNotContain(await AnalyzeAsync(fixedDocument), d => d.Id == "MCPL001");
    }

    [Fact]
    public void FixesOnlyMcpl001()
    {
        var provider = new MakePartialCodeFixProvider();

        Assert.Equal(["MCPL001"], provider.FixableDiagnosticIds.ToArray());
        Assert.NotNull(provider.GetFixAllProvider());
    }

    private static async Task<IReadOnlyList<Diagnostic>> AnalyzeAsync(Document document)
    {
        var compilation = await document.Project.GetCompilationAsync();
        Assert.NotNull(compilation);
        return await TestCompilation.AnalyzeAsync(compilation);
    }
}
