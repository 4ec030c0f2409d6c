using System;
using System.Collections.Immutable;
using System.Linq;
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
            var declarations = context.SyntaxProvider
                .ForAttributeWithMetadataName(
                    McpAttributeNames.StdioServerAttribute,
                    predicate: static (node, _) => node is ClassDeclarationSyntax or RecordDeclarationSyntax,
                    transform: static (ctx, ct) => GetFunctionDeclaration(ctx, ct))
                .WithTrackingName(TrackingNames.InitialExtraction);

            var functions = declarations
                .Select(static (d, _) => d.Function)
                .Where(static f => f is not null)
                .Select(static (f, _) => f!)
                .WithTrackingName(TrackingNames.RemovingNulls);

            context.RegisterSourceOutput(functions, static (spc, function) => Execute(spc, function));

            // A function the analyzer rejects gets no Main; a stand-in keeps the compiler from adding CS5001 to its error.
            var rejected = declarations
                .Select(static (d, _) => d.RejectedName)
                .Where(static name => name is not null)
                .Select(static (name, _) => name!)
                .Collect()
                .WithTrackingName(TrackingNames.RejectedFunctions);
            var generatedMains = functions.Where(static f => f.GenerateMain).Collect();
            var isExecutable = context.CompilationProvider
                .Select(static (c, _) => c.Options.OutputKind is OutputKind.ConsoleApplication or OutputKind.WindowsApplication);
            context.RegisterSourceOutput(
                rejected.Combine(generatedMains).Combine(isExecutable),
                static (spc, input) => ExecuteStandIn(spc, input.Left.Left, input.Left.Right.Length, input.Right));
        }

        /// <summary>
        /// The model of a valid function; or, for an invalid one that should have had a generated <c>Main</c>, its name
        /// (the analyzer reports why it is invalid).
        /// </summary>
        private static FunctionDeclaration GetFunctionDeclaration(GeneratorAttributeSyntaxContext context, System.Threading.CancellationToken cancellationToken)
        {
            if (context.TargetSymbol is not INamedTypeSymbol { TypeKind: TypeKind.Class } type
                || context.TargetNode is not TypeDeclarationSyntax
                || context.Attributes.Length != 1)
            {
                return FunctionDeclaration.None;
            }

            cancellationToken.ThrowIfCancellationRequested();
            if (McpFunctionParser.GetFunctionToGenerate(type, context.Attributes[0], cancellationToken) is { } function)
            {
                return new FunctionDeclaration(function, null);
            }

            var wantsMain = McpFunctionParser.ReadStdioServerAttribute(context.Attributes[0]) is { GenerateMain: true }
                && !McpFunctionParser.GetUserMainMethods(type).Any();
            return wantsMain ? new FunctionDeclaration(null, type.ToDisplayString()) : FunctionDeclaration.None;
        }

        private static void ExecuteStandIn(SourceProductionContext context, ImmutableArray<string> rejected, int generatedMains, bool isExecutable)
        {
            if (isExecutable && rejected.Length > 0 && generatedMains == 0)
            {
                context.AddSource("McpLambdaEntryPointStandIn" + McpAttributeNames.GeneratedFileSuffix, SourceGenerationHelper.GenerateEntryPointStandIn(rejected.OrderBy(n => n, StringComparer.Ordinal).First()));
            }
        }

        private static void Execute(SourceProductionContext context, McpFunctionToGenerate function)
            => context.AddSource(function.HintName, SourceGenerationHelper.Generate(function));
    }
}
