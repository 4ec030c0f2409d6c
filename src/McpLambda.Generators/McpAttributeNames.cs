namespace McpLambda.Generators
{
    /// <summary>Metadata and property names of the attributes in McpLambda.Abstractions.</summary>
    internal static class McpAttributeNames
    {
        public const string StdioServerAttribute = "McpLambda.McpStdioServerAttribute";
        public const string TransportAttribute = "McpLambda.McpTransportAttribute";

        public const string WorkingDirectory = nameof(WorkingDirectory);
        public const string EnvironmentVariables = nameof(EnvironmentVariables);
        public const string InheritEnvironment = nameof(InheritEnvironment);
        public const string PassEnvironment = nameof(PassEnvironment);
        public const string StartupTimeoutSeconds = nameof(StartupTimeoutSeconds);
        public const string Lifetime = nameof(Lifetime);
        public const string GenerateMain = nameof(GenerateMain);

        /// <summary>The default of <c>McpStdioServerAttribute.StartupTimeoutSeconds</c> (the generator cannot reference that assembly).</summary>
        public const int DefaultStartupTimeoutSeconds = 30;

        /// <summary>Suffix of generated files; the analyzer ignores members declared in them.</summary>
        public const string GeneratedFileSuffix = ".McpLambda.g.cs";
    }
}
