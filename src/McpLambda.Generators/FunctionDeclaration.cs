namespace McpLambda.Generators
{
    /// <summary>
    /// What the pipeline keeps of one class carrying <c>[McpStdioServer]</c>: the model of a valid function, or the name
    /// of an invalid one that would have had a generated <c>Main</c>. Equatable, so the pipeline caches it.
    /// </summary>
    internal sealed record FunctionDeclaration(McpFunctionToGenerate? Function, string? RejectedName)
    {
        public static readonly FunctionDeclaration None = new(null, null);
    }
}
