using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace McpLambda.Generators
{
    /// <summary>
    /// Adds the Lambda entry point (<c>McpServer</c>, <c>McpEventAdapter</c>, <c>RunAsync</c>, and <c>Main</c>) to every
    /// partial class carrying <c>[McpStdioServer]</c>. Invalid classes are skipped here and reported by
    /// <see cref="Diagnostics.McpFunctionAnalyzer"/>.
    /// </summary>
    [Generator(LanguageNames.CSharp)]
    public sealed class McpFunctionGenerator : IIncrementalGenerator
    {
        /// <inheritdoc/>
        public void Initialize(IncrementalGeneratorInitializationContext context)
        {
            var functions = context.SyntaxProvider
                .ForAttributeWithMetadataName(
                    McpAttributeNames.StdioServerAttribute,
                    predicate: static (node, _) => node is ClassDeclarationSyntax or RecordDeclarationSyntax,
                    transform: static (ctx, ct) => GetFunctionToGenerate(ctx, ct))
                .WithTrackingName(TrackingNames.InitialExtraction)
                .Where(static f => f is not null)
                .Select(static (f, _) => f!)
                .WithTrackingName(TrackingNames.RemovingNulls);

            context.RegisterSourceOutput(functions, static (spc, function) => Execute(spc, function));
        }

        private static McpFunctionToGenerate? GetFunctionToGenerate(GeneratorAttributeSyntaxContext context, System.Threading.CancellationToken cancellationToken)
        {
            if (context.TargetSymbol is not INamedTypeSymbol { TypeKind: TypeKind.Class } type
                || context.TargetNode is not TypeDeclarationSyntax
                || context.Attributes.Length != 1)
            {
                return null;
            }

            cancellationToken.ThrowIfCancellationRequested();
            return McpFunctionParser.GetFunctionToGenerate(type, context.Attributes[0], cancellationToken);
        }

        private static void Execute(SourceProductionContext context, McpFunctionToGenerate function)
            => context.AddSource(function.HintName, SourceGenerationHelper.Generate(function));
    }
}
