namespace McpLambda.Generators
{
    /// <summary>
    /// Everything the emitter needs for one function class. Only strings, numbers and
    /// <see cref="EquatableArray{T}"/>: no symbols or syntax, so the pipeline caches by value.
    /// </summary>
    internal sealed record McpFunctionToGenerate(
        string? Namespace,
        string ClassName,
        bool IsRecord,
        string Command,
        EquatableArray<string> Arguments,
        string? WorkingDirectory,
        EquatableArray<EnvironmentVariable> EnvironmentVariables,
        EquatableArray<string> PassEnvironment,
        bool InheritEnvironment,
        int StartupTimeoutSeconds,
        int Lifetime,
        bool GenerateMain,
        EquatableArray<int> Transports)
    {
        /// <summary>The generated file's name: <c>{Namespace}.{ClassName}.McpLambda.g.cs</c>.</summary>
        public string HintName => Namespace is null
            ? ClassName + ".McpLambda.g.cs"
            : Namespace + "." + ClassName + ".McpLambda.g.cs";
    }

    /// <summary>One <c>KEY=VALUE</c> entry, split on the first <c>=</c>.</summary>
    internal readonly record struct EnvironmentVariable(string Key, string Value)
    {
        /// <summary>
        /// Splits <paramref name="entry"/> on its first <c>=</c>. Fails for <see langword="null"/>, for no <c>=</c>,
        /// and for an empty key or one containing whitespace (MCPL005).
        /// </summary>
        public static bool TryParse(string? entry, out EnvironmentVariable variable)
        {
            variable = default;
            if (entry is null)
            {
                return false;
            }

            var equals = entry.IndexOf('=');
            if (equals <= 0)
            {
                return false;
            }

            var key = entry.Substring(0, equals);
            foreach (var c in key)
            {
                if (char.IsWhiteSpace(c))
                {
                    return false;
                }
            }

            variable = new EnvironmentVariable(key, entry.Substring(equals + 1));
            return true;
        }
    }
}
