using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace McpLambda.Generators.Diagnostics
{
    /// <summary>
    /// Reports misuse of <c>[McpStdioServer]</c> and <c>[McpTransport]</c> (MCPL001–MCPL009). The generator skips every
    /// class this analyzer reports an error for.
    /// </summary>
    [DiagnosticAnalyzer(LanguageNames.CSharp)]
    public sealed class McpFunctionAnalyzer : DiagnosticAnalyzer
    {
        /// <inheritdoc/>
        public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(
            DiagnosticDescriptors.ClassNotPartial,
            DiagnosticDescriptors.ClassNestedOrGeneric,
            DiagnosticDescriptors.MissingTransport,
            DiagnosticDescriptors.EmptyCommand,
            DiagnosticDescriptors.MalformedEnvironmentVariable,
            DiagnosticDescriptors.UserDefinedMain,
            DiagnosticDescriptors.UnsupportedTransport,
            DiagnosticDescriptors.ConflictingTransports,
            DiagnosticDescriptors.NonPositiveStartupTimeout);

        /// <inheritdoc/>
        public override void Initialize(AnalysisContext context)
        {
            context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
            context.EnableConcurrentExecution();
            context.RegisterCompilationStartAction(start =>
            {
                // Nothing to check in a compilation that cannot see the attribute.
                if (start.Compilation.GetTypeByMetadataName(McpAttributeNames.StdioServerAttribute) is null)
                {
                    return;
                }

                start.RegisterSymbolAction(AnalyzeType, SymbolKind.NamedType);
            });
        }

        private static void AnalyzeType(SymbolAnalysisContext context)
        {
            var type = (INamedTypeSymbol)context.Symbol;
            if (type.TypeKind != TypeKind.Class)
            {
                return;
            }

            var server = type.GetAttributes().FirstOrDefault(a => McpFunctionParser.IsAttribute(a, McpAttributeNames.StdioServerAttribute));
            if (server is null)
            {
                return;
            }

            foreach (var problem in McpFunctionValidator.Validate(type, server, context.CancellationToken))
            {
                context.ReportDiagnostic(problem);
            }
        }
    }
}
