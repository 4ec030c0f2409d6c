using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;

namespace McpLambda.Generators
{
    /// <summary>The values of one <c>[McpStdioServer]</c>, as written (nulls and all), before validation.</summary>
    internal sealed class StdioServerAttributeValues
    {
        public string? Command { get; set; }

        public IReadOnlyList<string?> Arguments { get; set; } = new string?[0];

        public string? WorkingDirectory { get; set; }

        public IReadOnlyList<string?> EnvironmentVariables { get; set; } = new string?[0];

        public bool InheritEnvironment { get; set; }

        public IReadOnlyList<string?> PassEnvironment { get; set; } = new string?[0];

        public int StartupTimeoutSeconds { get; set; } = McpAttributeNames.DefaultStartupTimeoutSeconds;

        public int Lifetime { get; set; }

        public bool GenerateMain { get; set; } = true;
    }

    /// <summary>
    /// Reads the attributes of a function class into values, and builds the generator's model of a class that
    /// <see cref="McpFunctionValidator"/> finds valid.
    /// </summary>
    internal static class McpFunctionParser
    {
        /// <summary>Reads <paramref name="attribute"/>, or returns <see langword="null"/> when it does not bind.</summary>
        public static StdioServerAttributeValues? ReadStdioServerAttribute(AttributeData attribute)
        {
            var ctorArgs = attribute.ConstructorArguments;
            if (ctorArgs.Length < 1 || ctorArgs.Any(a => a.Kind == TypedConstantKind.Error))
            {
                return null;
            }

            var values = new StdioServerAttributeValues
            {
                Command = ctorArgs[0].Value as string,
                Arguments = ctorArgs.Length > 1 ? ReadStrings(ctorArgs[1]) : new string?[0],
            };

            foreach (var named in attribute.NamedArguments)
            {
                var value = named.Value;
                if (value.Kind == TypedConstantKind.Error)
                {
                    return null;
                }

                switch (named.Key)
                {
                    case McpAttributeNames.WorkingDirectory:
                        values.WorkingDirectory = value.Value as string;
                        break;
                    case McpAttributeNames.EnvironmentVariables:
                        values.EnvironmentVariables = ReadStrings(value);
                        break;
                    case McpAttributeNames.PassEnvironment:
                        values.PassEnvironment = ReadStrings(value);
                        break;
                    case McpAttributeNames.InheritEnvironment when value.Value is bool inherit:
                        values.InheritEnvironment = inherit;
                        break;
                    case McpAttributeNames.StartupTimeoutSeconds when value.Value is int timeout:
                        values.StartupTimeoutSeconds = timeout;
                        break;
                    case McpAttributeNames.Lifetime when value.Value is int lifetime:
                        values.Lifetime = lifetime;
                        break;
                    case McpAttributeNames.GenerateMain when value.Value is bool generateMain:
                        values.GenerateMain = generateMain;
                        break;
                }
            }

            return values;
        }

        /// <summary>The kind of one <c>[McpTransport]</c>, or <see langword="null"/> when it does not bind.</summary>
        public static int? ReadTransportKind(AttributeData attribute)
            => attribute.ConstructorArguments.Length == 1 && attribute.ConstructorArguments[0].Value is int kind ? kind : null;

        /// <summary>
        /// Whether <paramref name="attribute"/> is the attribute named <paramref name="metadataName"/> (one of
        /// <see cref="McpAttributeNames"/>). Matched by name, as the generator's pipeline finds <c>[McpStdioServer]</c>.
        /// </summary>
        public static bool IsAttribute(AttributeData attribute, string metadataName)
            => attribute.AttributeClass is { } type && type.ToDisplayString() == metadataName;

        /// <summary>Whether a command is unusable (MCPL004).</summary>
        public static bool IsEmptyCommand(string? command) => string.IsNullOrWhiteSpace(command);

        /// <summary>
        /// The static <c>Main</c> methods the user declared on the class (MCPL006), leaving out the one this generator
        /// emits (which the analyzer sees when it runs after the generator).
        /// </summary>
        public static IEnumerable<IMethodSymbol> GetUserMainMethods(INamedTypeSymbol type)
            => type.GetMembers("Main")
                .OfType<IMethodSymbol>()
                .Where(m => m.IsStatic && m.MethodKind == MethodKind.Ordinary)
                .Where(m => m.Locations.Any(l => l.IsInSource && !IsGeneratedByUs(l.SourceTree)));

        private static bool IsGeneratedByUs(SyntaxTree? tree)
            => tree is not null && tree.FilePath.EndsWith(McpAttributeNames.GeneratedFileSuffix, System.StringComparison.OrdinalIgnoreCase);

        /// <summary>
        /// Builds the model for a class carrying <c>[McpStdioServer]</c>, or returns <see langword="null"/> when the
        /// class is invalid in any way the analyzer reports as an error (nothing is generated for it then).
        /// </summary>
        public static McpFunctionToGenerate? GetFunctionToGenerate(INamedTypeSymbol type, AttributeData serverAttribute, CancellationToken cancellationToken)
        {
            var values = ReadStdioServerAttribute(serverAttribute);
            if (values is null || McpFunctionValidator.HasError(McpFunctionValidator.Validate(type, serverAttribute, cancellationToken)))
            {
                return null;
            }

            var environment = new List<EnvironmentVariable>(values.EnvironmentVariables.Count);
            foreach (var entry in values.EnvironmentVariables)
            {
                EnvironmentVariable.TryParse(entry, out var variable);
                environment.Add(variable);
            }

            var transports = new List<int>();
            foreach (var attribute in type.GetAttributes())
            {
                if (!IsAttribute(attribute, McpAttributeNames.TransportAttribute))
                {
                    continue;
                }

                if (ReadTransportKind(attribute) is not int kind)
                {
                    return null; // does not bind: the compiler reports it
                }

                transports.Add(kind);
            }

            transports.Sort();

            var ns = type.ContainingNamespace;
            return new McpFunctionToGenerate(
                Namespace: ns is null || ns.IsGlobalNamespace ? null : ns.ToDisplayString(),
                ClassName: type.Name,
                IsRecord: type.IsRecord,
                Command: values.Command!,
                Arguments: new EquatableArray<string>(values.Arguments.Select(a => a!)),
                WorkingDirectory: values.WorkingDirectory,
                EnvironmentVariables: new EquatableArray<EnvironmentVariable>(environment),
                PassEnvironment: new EquatableArray<string>(values.PassEnvironment.Select(n => n!.Trim())),
                InheritEnvironment: values.InheritEnvironment,
                StartupTimeoutSeconds: values.StartupTimeoutSeconds,
                Lifetime: values.Lifetime,
                GenerateMain: values.GenerateMain,
                Transports: new EquatableArray<int>(transports));
        }

        private static IReadOnlyList<string?> ReadStrings(TypedConstant constant)
            => constant.Kind == TypedConstantKind.Array && !constant.IsNull
                ? constant.Values.Select(v => v.Value as string).ToImmutableArray()
                : ImmutableArray<string?>.Empty;
    }
}
