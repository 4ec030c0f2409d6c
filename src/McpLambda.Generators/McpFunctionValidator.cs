using System.Collections.Generic;
using System.Collections.Immutable;
using System.Globalization;
using System.Linq;
using System.Threading;
using McpLambda.Generators.Diagnostics;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace McpLambda.Generators
{
    /// <summary>
    /// Decides whether a class carrying <c>[McpStdioServer]</c> is valid (MCPL001–MCPL009, MCPL011), for both the analyzer,
    /// which reports every problem, and the generator, which skips a class with an error among them; so the two
    /// cannot disagree (as the System.Text.Json generator and its analyzer share one parser).
    /// </summary>
    internal static class McpFunctionValidator
    {
        /// <summary>Every problem of <paramref name="type"/>, whose <c>[McpStdioServer]</c> is <paramref name="server"/>.</summary>
        public static ImmutableArray<Diagnostic> Validate(INamedTypeSymbol type, AttributeData server, CancellationToken cancellationToken)
        {
            var problems = new List<Diagnostic>();
            var serverSyntax = server.ApplicationSyntaxReference?.GetSyntax(cancellationToken) as AttributeSyntax;
            var declaration = serverSyntax?.FirstAncestorOrSelf<TypeDeclarationSyntax>();
            var classLocation = declaration?.Identifier.GetLocation() ?? type.Locations.FirstOrDefault() ?? Location.None;
            var attributeLocation = serverSyntax?.GetLocation() ?? classLocation;

            // MCPL001: every declaration of the class must say partial (the compiler wants it on all parts).
            foreach (var reference in type.DeclaringSyntaxReferences)
            {
                if (reference.GetSyntax(cancellationToken) is TypeDeclarationSyntax part && !part.Modifiers.Any(SyntaxKind.PartialKeyword))
                {
                    problems.Add(Diagnostic.Create(DiagnosticDescriptors.ClassNotPartial, part.Identifier.GetLocation(), type.Name));
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
                problems.Add(Diagnostic.Create(DiagnosticDescriptors.ClassNestedOrGeneric, classLocation, type.Name, shape));
            }

            var values = McpFunctionParser.ReadStdioServerAttribute(server);
            if (values is not null)
            {
                ValidateServerValues(problems, type, values, serverSyntax, attributeLocation);
            }

            ValidateTransports(problems, type, classLocation, cancellationToken);
            return problems.ToImmutableArray();
        }

        private static void ValidateServerValues(
            List<Diagnostic> problems,
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
                problems.Add(Diagnostic.Create(DiagnosticDescriptors.EmptyCommand, location, type.Name, "has an empty command"));
            }
            else if (values.Arguments.Any(a => a is null))
            {
                var index = values.Arguments.ToList().IndexOf(null);
                var location = positional.Count == values.Arguments.Count + 1 ? positional[index + 1].GetLocation() : attributeLocation;
                problems.Add(Diagnostic.Create(DiagnosticDescriptors.EmptyCommand, location, type.Name, "has a null argument"));
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
                problems.Add(Diagnostic.Create(DiagnosticDescriptors.MalformedEnvironmentVariable, location, shown));
            }

            // MCPL011
            var passArgument = FindNamedArgument(serverSyntax, McpAttributeNames.PassEnvironment);
            var passElements = GetArrayElements(passArgument?.Expression);
            for (var i = 0; i < values.PassEnvironment.Count; i++)
            {
                if (PassEnvironmentProblem(values.PassEnvironment[i]) is not { } problem)
                {
                    continue;
                }

                var location = passElements is not null && passElements.Count == values.PassEnvironment.Count
                    ? passElements[i].GetLocation()
                    : passArgument?.GetLocation() ?? attributeLocation;
                var entry = values.PassEnvironment[i];
                problems.Add(Diagnostic.Create(
                    DiagnosticDescriptors.UnpassableEnvironmentName,
                    location,
                    entry is null ? "null" : SymbolDisplay.FormatLiteral(entry, quote: true),
                    problem));
            }

            // MCPL006
            if (values.GenerateMain)
            {
                foreach (var main in McpFunctionParser.GetUserMainMethods(type))
                {
                    problems.Add(Diagnostic.Create(DiagnosticDescriptors.UserDefinedMain, main.Locations.FirstOrDefault(l => l.IsInSource) ?? Location.None, type.Name));
                }
            }

            // MCPL009
            if (values.StartupTimeoutSeconds <= 0)
            {
                var location = FindNamedArgument(serverSyntax, McpAttributeNames.StartupTimeoutSeconds)?.GetLocation() ?? attributeLocation;
                problems.Add(Diagnostic.Create(
                    DiagnosticDescriptors.NonPositiveStartupTimeout,
                    location,
                    values.StartupTimeoutSeconds.ToString(CultureInfo.InvariantCulture)));
            }
        }

        private static void ValidateTransports(List<Diagnostic> problems, INamedTypeSymbol type, Location classLocation, CancellationToken cancellationToken)
        {
            var declared = new List<int>();
            var any = false;
            foreach (var attribute in type.GetAttributes())
            {
                if (!McpFunctionParser.IsAttribute(attribute, McpAttributeNames.TransportAttribute))
                {
                    continue;
                }

                any = true;
                if (McpFunctionParser.ReadTransportKind(attribute) is not int kind)
                {
                    continue; // does not bind: the compiler reports it
                }

                var location = attribute.ApplicationSyntaxReference?.GetSyntax(cancellationToken).GetLocation() ?? classLocation;

                // MCPL007
                if (!TransportKinds.SupportedTransports.Contains(kind))
                {
                    problems.Add(Diagnostic.Create(
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
                        problems.Add(Diagnostic.Create(
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
                problems.Add(Diagnostic.Create(DiagnosticDescriptors.MissingTransport, classLocation, type.Name));
            }
        }

        /// <summary>The variables no list of names passes: the execution role's credentials and the Runtime API's address (the runtime's ServerEnvironment.Withheld).</summary>
        private static readonly string[] Withheld =
        {
            "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN",
            "AWS_CONTAINER_CREDENTIALS_FULL_URI", "AWS_CONTAINER_AUTHORIZATION_TOKEN", "AWS_LAMBDA_RUNTIME_API",
        };

        private static string? PassEnvironmentProblem(string? name)
        {
            if (string.IsNullOrWhiteSpace(name) || name!.Trim().Any(c => char.IsWhiteSpace(c)))
            {
                return "is not a variable name; list names of the function's own environment, such as \"GITHUB_TOKEN\"";
            }

            if (name.IndexOf('=') >= 0)
            {
                return "is an assignment; PassEnvironment lists names of the function's own variables, EnvironmentVariables sets values (\"KEY=VALUE\")";
            }

            return Withheld.Contains(name.Trim())
                ? "names what never reaches the server (the execution role's credentials, the Runtime API's address); set InheritEnvironment = true for a server that must act as the function's role"
                : null;
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

        /// <summary>Whether <paramref name="problems"/> holds an error, for which nothing is generated.</summary>
        public static bool HasError(ImmutableArray<Diagnostic> problems) => problems.Any(p => p.Severity == DiagnosticSeverity.Error);
    }
}
