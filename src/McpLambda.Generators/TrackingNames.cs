namespace McpLambda.Generators
{
    /// <summary>Names of the pipeline steps, so tests can assert they are cached on unrelated edits.</summary>
    internal static class TrackingNames
    {
        public const string InitialExtraction = nameof(InitialExtraction);
        public const string RemovingNulls = nameof(RemovingNulls);
        public const string RejectedFunctions = nameof(RejectedFunctions);
    }
}
