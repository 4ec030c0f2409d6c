using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;

namespace McpLambda.Generators
{
    /// <summary>
    /// What the generator knows about <c>McpLambda.McpTransport</c> values. The generator does not reference the
    /// Abstractions assembly, so kinds are the enum's underlying numbers; the names here mirror the enum.
    /// </summary>
    internal static class TransportKinds
    {
        public const int ApiGateway = 0;
        public const int HttpApi = 1;
        public const int FunctionUrl = 2;
        public const int BedrockAgentCoreGateway = 3;
        public const int LambdaInvoke = 4;

        /// <summary>
        /// The transports this generator can emit code for. The analyzer (MCPL007) and the generator both read this
        /// one set: a kind outside it is reported and not generated.
        /// </summary>
        public static readonly ImmutableHashSet<int> SupportedTransports = ImmutableHashSet.Create(
            ApiGateway,
            HttpApi,
            FunctionUrl,
            BedrockAgentCoreGateway,
            LambdaInvoke);

        private static readonly ImmutableDictionary<int, string> Names = new Dictionary<int, string>
        {
            [ApiGateway] = "ApiGateway",
            [HttpApi] = "HttpApi",
            [FunctionUrl] = "FunctionUrl",
            [BedrockAgentCoreGateway] = "BedrockAgentCoreGateway",
            [LambdaInvoke] = "LambdaInvoke",
        }.ToImmutableDictionary();

        private static readonly ImmutableDictionary<int, string> RuntimeTypes = new Dictionary<int, string>
        {
            [ApiGateway] = "global::McpLambda.Runtime.McpEventAdapters.ApiGateway",
            [HttpApi] = "global::McpLambda.Runtime.McpEventAdapters.HttpApi",
            [FunctionUrl] = "global::McpLambda.Runtime.McpEventAdapters.FunctionUrl",
            [BedrockAgentCoreGateway] = "global::McpLambda.Runtime.McpEventAdapters.BedrockAgentCoreGateway",
            [LambdaInvoke] = "global::McpLambda.Runtime.McpEventAdapters.LambdaInvoke",
        }.ToImmutableDictionary();

        /// <summary>The enum member's name, or the number for a value the enum does not define.</summary>
        public static string GetName(int kind) => Names.TryGetValue(kind, out var name) ? name : kind.ToString(System.Globalization.CultureInfo.InvariantCulture);

        /// <summary>The supported kinds' names, in enum order, for messages.</summary>
        public static string SupportedNames => string.Join(", ", SupportedTransports.OrderBy(k => k).Select(GetName));

        /// <summary>The runtime member (with <c>global::</c>) that gives the adapter for <paramref name="kind"/>'s events.</summary>
        public static string? GetRuntimeMemberName(int kind)
            => SupportedTransports.Contains(kind) && RuntimeTypes.TryGetValue(kind, out var type) ? type : null;

        /// <summary>
        /// Why <paramref name="kind"/> cannot be declared on a class that already declares <paramref name="earlier"/>,
        /// or <see langword="null"/> when the two can live together.
        /// </summary>
        public static ConflictReason? GetConflict(int earlier, int kind)
        {
            if (earlier == kind)
            {
                return ConflictReason.Duplicate;
            }

            if ((earlier == HttpApi && kind == FunctionUrl) || (earlier == FunctionUrl && kind == HttpApi))
            {
                return ConflictReason.SamePayloadFormat;
            }

            return null;
        }

        /// <summary>Finds the first conflict in <paramref name="kinds"/> (in declaration order), if any.</summary>
        public static bool HasConflict(IReadOnlyList<int> kinds)
        {
            for (var i = 1; i < kinds.Count; i++)
            {
                for (var j = 0; j < i; j++)
                {
                    if (GetConflict(kinds[j], kinds[i]) is not null)
                    {
                        return true;
                    }
                }
            }

            return false;
        }
    }

    /// <summary>Why two transports cannot be declared on one class.</summary>
    internal enum ConflictReason
    {
        /// <summary>The same transport twice.</summary>
        Duplicate,

        /// <summary>HTTP API and function URL both send payload format 2.0 events, which look the same.</summary>
        SamePayloadFormat,
    }
}
