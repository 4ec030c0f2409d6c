using Microsoft.CodeAnalysis;

namespace McpLambda.Generators.Diagnostics
{
    /// <summary>The diagnostics of McpLambda. Ids are stable; each message says how to fix the problem.</summary>
    internal static class DiagnosticDescriptors
    {
        private const string Category = "McpLambda";

        public static readonly DiagnosticDescriptor ClassNotPartial = new(
            id: "MCPL001",
            title: "A class with [McpStdioServer] must be partial",
            messageFormat: "Class '{0}' has [McpStdioServer] but is not partial; add the 'partial' modifier so the generator can add the function's entry point",
            category: Category,
            defaultSeverity: DiagnosticSeverity.Error,
            isEnabledByDefault: true);

        public static readonly DiagnosticDescriptor ClassNestedOrGeneric = new(
            id: "MCPL002",
            title: "A class with [McpStdioServer] must be top-level and non-generic",
            messageFormat: "Class '{0}' is {1}; put [McpStdioServer] on a top-level, non-generic partial class instead",
            category: Category,
            defaultSeverity: DiagnosticSeverity.Error,
            isEnabledByDefault: true);

        public static readonly DiagnosticDescriptor MissingTransport = new(
            id: "MCPL003",
            title: "A class with [McpStdioServer] needs [McpTransport]",
            messageFormat: "Class '{0}' has [McpStdioServer] but no [McpTransport]; add one, such as [McpTransport(McpTransport.ApiGateway)], to say how clients reach the function",
            category: Category,
            defaultSeverity: DiagnosticSeverity.Error,
            isEnabledByDefault: true);

        public static readonly DiagnosticDescriptor EmptyCommand = new(
            id: "MCPL004",
            title: "The stdio server's command is empty",
            messageFormat: "[McpStdioServer] on '{0}' {1}; pass the executable that starts the server (such as \"npx\") and non-null arguments",
            category: Category,
            defaultSeverity: DiagnosticSeverity.Error,
            isEnabledByDefault: true);

        public static readonly DiagnosticDescriptor MalformedEnvironmentVariable = new(
            id: "MCPL005",
            title: "Malformed environment variable entry",
            messageFormat: "Environment entry {0} is not KEY=VALUE; write each entry as \"KEY=VALUE\" with a non-empty key that contains no whitespace",
            category: Category,
            defaultSeverity: DiagnosticSeverity.Error,
            isEnabledByDefault: true);

        public static readonly DiagnosticDescriptor UserDefinedMain = new(
            id: "MCPL006",
            title: "The class declares Main while the generator also emits one",
            messageFormat: "Class '{0}' declares a static Main, and [McpStdioServer] generates one too; set GenerateMain = false on the attribute (and call the generated RunAsync), or remove this Main",
            category: Category,
            defaultSeverity: DiagnosticSeverity.Error,
            isEnabledByDefault: true);

        public static readonly DiagnosticDescriptor UnsupportedTransport = new(
            id: "MCPL007",
            title: "Transport not supported",
            messageFormat: "Transport '{0}' is not supported by this version of the McpLambda generator; use one of: {1}",
            category: Category,
            defaultSeverity: DiagnosticSeverity.Error,
            isEnabledByDefault: true);

        public static readonly DiagnosticDescriptor ConflictingTransports = new(
            id: "MCPL008",
            title: "Transports that cannot be told apart",
            messageFormat: "Transport '{0}' cannot be declared together with '{1}' on one class: {2}",
            category: Category,
            defaultSeverity: DiagnosticSeverity.Error,
            isEnabledByDefault: true);

        public static readonly DiagnosticDescriptor NonPositiveStartupTimeout = new(
            id: "MCPL009",
            title: "StartupTimeoutSeconds is not positive",
            messageFormat: "StartupTimeoutSeconds is {0}, which leaves the server no time to start; use a positive number of seconds (the default is 30)",
            category: Category,
            defaultSeverity: DiagnosticSeverity.Warning,
            isEnabledByDefault: true);

        public static readonly DiagnosticDescriptor UnpassableEnvironmentName = new(
            id: "MCPL011",
            title: "PassEnvironment entry is not a variable that can be passed",
            messageFormat: "PassEnvironment entry {0} {1}",
            category: Category,
            defaultSeverity: DiagnosticSeverity.Error,
            isEnabledByDefault: true);

        public static readonly DiagnosticDescriptor CommandNotOnHost = new(
            id: "MCPL010",
            title: "The Lambda runtime cannot start the server's command",
            messageFormat: "'{0}' is not on the PATH of the {1} Lambda runtime (McpLambdaHost), so the deployed function cannot start its server; {2}",
            category: Category,
            defaultSeverity: DiagnosticSeverity.Error,
            isEnabledByDefault: true);
    }
}
