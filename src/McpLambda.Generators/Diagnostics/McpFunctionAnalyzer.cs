using System.Collections.Generic;
using System.Collections.Immutable;
using System.Globalization;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
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
                var serverAttribute = start.Compilation.GetTypeByMetadataName(McpAttributeNames.StdioServerAttribute);
                var transportAttribute = start.Compilation.GetTypeByMetadataName(McpAttributeNames.TransportAttribute);
                if (serverAttribute is null)
                {
                    return;
                }

                start.RegisterSymbolAction(
                    symbolContext => AnalyzeType(symbolContext, serverAttribute, transportAttribute),
                    SymbolKind.NamedType);
            });
        }

        private static void AnalyzeType(SymbolAnalysisContext context, INamedTypeSymbol serverAttributeType, INamedTypeSymbol? transportAttributeType)
        {
            var type = (INamedTypeSymbol)context.Symbol;
            if (type.TypeKind != TypeKind.Class)
            {
                return;
            }

            var attributes = type.GetAttributes();
            var server = attributes.FirstOrDefault(a => SymbolEqualityComparer.Default.Equals(a.AttributeClass, serverAttributeType));
            if (server is null)
            {
                return;
            }

            var ct = context.CancellationToken;
            var serverSyntax = server.ApplicationSyntaxReference?.GetSyntax(ct) as AttributeSyntax;
            var declaration = serverSyntax?.FirstAncestorOrSelf<TypeDeclarationSyntax>();
            var classLocation = declaration?.Identifier.GetLocation() ?? type.Locations.FirstOrDefault() ?? Location.None;
            var attributeLocation = serverSyntax?.GetLocation() ?? classLocation;

            // MCPL001: every declaration of the class must say partial (the compiler wants it on all parts).
            foreach (var reference in type.DeclaringSyntaxReferences)
            {
                if (reference.GetSyntax(ct) is TypeDeclarationSyntax part && !part.Modifiers.Any(SyntaxKind.PartialKeyword))
                {
                    context.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.ClassNotPartial, part.Identifier.GetLocation(), type.Name));
                }
            }

            // MCPL002
            var shape = (type.ContainingType, type.TypeParameters.Length > 0) switch
            {
                ({ } outer, true) => "nested in '" + outer.Name + "' and generic",
                ({ } outer, false) => "nested in '" + outer.Name + "'",
                (null, true) => "generic",
                _ => null,
            };
            if (shape is not null)
            {
                context.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.ClassNestedOrGeneric, classLocation, type.Name, shape));
            }

            var values = McpFunctionParser.ReadStdioServerAttribute(server);
            if (values is not null)
            {
                AnalyzeServerValues(context, type, values, serverSyntax, attributeLocation);
            }

            AnalyzeTransports(context, type, attributes, transportAttributeType, classLocation);
        }

        private static void AnalyzeServerValues(
            SymbolAnalysisContext context,
            INamedTypeSymbol type,
            StdioServerAttributeValues values,
            AttributeSyntax? serverSyntax,
            Location attributeLocation)
        {
            var positional = serverSyntax?.ArgumentList?.Arguments.Where(a => a.NameEquals is null).ToList() ?? new List<AttributeArgumentSyntax>();

            // MCPL004
            if (McpFunctionParser.IsEmptyCommand(values.Command))
            {
                var location = positional.Count > 0 ? positional[0].GetLocation() : attributeLocation;
                context.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.EmptyCommand, location, type.Name, "has an empty command"));
            }
            else if (values.Arguments.Any(a => a is null))
            {
                var index = values.Arguments.ToList().IndexOf(null);
                var location = positional.Count == values.Arguments.Count + 1 ? positional[index + 1].GetLocation() : attributeLocation;
                context.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.EmptyCommand, location, type.Name, "has a null argument"));
            }

            // MCPL005: point at the entry itself when it is written as an array element.
            var environmentArgument = FindNamedArgument(serverSyntax, McpAttributeNames.EnvironmentVariables);
            var elements = GetArrayElements(environmentArgument?.Expression);
            for (var i = 0; i < values.EnvironmentVariables.Count; i++)
            {
                var entry = values.EnvironmentVariables[i];
                if (EnvironmentVariable.TryParse(entry, out _))
                {
                    continue;
                }

                var location = elements is not null && elements.Count == values.EnvironmentVariables.Count
                    ? elements[i].GetLocation()
                    : environmentArgument?.GetLocation() ?? attributeLocation;
                var shown = entry is null ? "null" : SymbolDisplay.FormatLiteral(entry, quote: true);
                context.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.MalformedEnvironmentVariable, location, shown));
            }

            // MCPL006
            if (values.GenerateMain)
            {
                foreach (var main in McpFunctionParser.GetUserMainMethods(type))
                {
                    context.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.UserDefinedMain, main.Locations.FirstOrDefault(l => l.IsInSource) ?? Location.None, type.Name));
                }
            }

            // MCPL009
            if (values.StartupTimeoutSeconds <= 0)
            {
                var location = FindNamedArgument(serverSyntax, McpAttributeNames.StartupTimeoutSeconds)?.GetLocation() ?? attributeLocation;
                context.ReportDiagnostic(Diagnostic.Create(
                    DiagnosticDescriptors.NonPositiveStartupTimeout,
                    location,
                    values.StartupTimeoutSeconds.ToString(CultureInfo.InvariantCulture)));
            }
        }

        private static void AnalyzeTransports(
            SymbolAnalysisContext context,
            INamedTypeSymbol type,
            ImmutableArray<AttributeData> attributes,
            INamedTypeSymbol? transportAttributeType,
            Location classLocation)
        {
            var declared = new List<int>();
            var any = false;
            foreach (var attribute in attributes)
            {
                if (transportAttributeType is null || !SymbolEqualityComparer.Default.Equals(attribute.AttributeClass, transportAttributeType))
                {
                    continue;
                }

                any = true;
                if (McpFunctionParser.ReadTransportKind(attribute) is not int kind)
                {
                    continue; // does not bind: the compiler reports it
                }

                var location = attribute.ApplicationSyntaxReference?.GetSyntax(context.CancellationToken).GetLocation() ?? classLocation;

                // MCPL007
                if (!TransportKinds.SupportedTransports.Contains(kind))
                {
                    context.ReportDiagnostic(Diagnostic.Create(
                        DiagnosticDescriptors.UnsupportedTransport,
                        location,
                        TransportKinds.GetName(kind),
                        TransportKinds.SupportedNames));
                }

                // MCPL008: reported once, on the later of the two attributes.
                foreach (var earlier in declared)
                {
                    if (TransportKinds.GetConflict(earlier, kind) is ConflictReason reason)
                    {
                        var why = reason == ConflictReason.Duplicate
                            ? "it is declared twice; remove the duplicate [McpTransport]"
                            : "both send payload format 2.0 events, which cannot be told apart; keep one, and deploy the other as a separate function";
                        context.ReportDiagnostic(Diagnostic.Create(
                            DiagnosticDescriptors.ConflictingTransports,
                            location,
                            TransportKinds.GetName(kind),
                            TransportKinds.GetName(earlier),
                            why));
                        break;
                    }
                }

                declared.Add(kind);
            }

            // MCPL003
            if (!any)
            {
                context.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.MissingTransport, classLocation, type.Name));
            }
        }

        private static AttributeArgumentSyntax? FindNamedArgument(AttributeSyntax? attribute, string name)
            => attribute?.ArgumentList?.Arguments.FirstOrDefault(a => a.NameEquals?.Name.Identifier.ValueText == name);

        private static IReadOnlyList<ExpressionSyntax>? GetArrayElements(ExpressionSyntax? expression) => expression switch
        {
            ArrayCreationExpressionSyntax { Initializer: { } init } => init.Expressions,
            ImplicitArrayCreationExpressionSyntax { Initializer: { } init } => init.Expressions,
            InitializerExpressionSyntax init => init.Expressions,
            CollectionExpressionSyntax collection when collection.Elements.All(e => e is ExpressionElementSyntax)
                => collection.Elements.Cast<ExpressionElementSyntax>().Select(e => e.Expression).ToList(),
            _ => null,
        };
    }
}
