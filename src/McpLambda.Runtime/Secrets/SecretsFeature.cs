using System.Diagnostics.CodeAnalysis;

namespace McpLambda.Runtime.Secrets;

/// <summary>
/// Whether the function is built with secret references (<c>McpLambdaSecrets</c>). A build switch, so that a Native AOT
/// function that names no secrets leaves the AWS SDK's Systems Manager client out of its bootstrap.
/// </summary>
internal static class SecretsFeature
{
    public const string Switch = "McpLambda.Secrets";

    /// <summary>True unless the build turned secrets off; outside a function build (tests, tools) it is on.</summary>
#if NET9_0_OR_GREATER
    [FeatureSwitchDefinition(Switch)]
#endif
    public static bool IsSupported => !AppContext.TryGetSwitch(Switch, out var enabled) || enabled;
}
