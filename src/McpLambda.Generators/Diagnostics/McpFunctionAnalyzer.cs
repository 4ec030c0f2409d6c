using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;

namespace McpLambda.Generators.Diagnostics
{
    /// <summary>
    /// Reports misuse of <c>[McpStdioServer]</c> and <c>[McpTransport]</c> (MCPL001–MCPL010). The generator skips every
    /// class this analyzer reports an error for among MCPL001–MCPL009; MCPL010 is about the deployment, not the code.
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
            DiagnosticDescriptors.NonPositiveStartupTimeout,
            DiagnosticDescriptors.UnpassableEnvironmentName,
            DiagnosticDescriptors.CommandNotOnHost);

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

            // MCPL010: the command on the Lambda runtime the project builds for.
            var command = McpFunctionParser.ReadStdioServerAttribute(server)?.Command;
            if (ServerHostCheck.Check(command, context.Options.AnalyzerConfigOptionsProvider.GlobalOptions) is { } fix)
            {
                var syntax = server.ApplicationSyntaxReference?.GetSyntax(context.CancellationToken) as AttributeSyntax;
                var location = syntax?.ArgumentList?.Arguments.FirstOrDefault(a => a.NameEquals is null)?.GetLocation()
                    ?? syntax?.GetLocation()
                    ?? Location.None;
                context.Options.AnalyzerConfigOptionsProvider.GlobalOptions.TryGetValue(ServerHostCheck.HostProperty, out var host);
                context.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.CommandNotOnHost, location, command!.Trim(), host!.Trim(), fix));
            }
        }
    }
}
