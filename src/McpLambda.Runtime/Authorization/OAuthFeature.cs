using System.Diagnostics.CodeAnalysis;

namespace McpLambda.Runtime.Authorization;

/// <summary>
/// Whether the function is built with OAuth token validation (<c>McpLambdaOAuth</c>, on unless turned off). A build
/// switch, so that a Native AOT function that never uses OAuth leaves the token libraries out of its bootstrap.
/// </summary>
internal static class OAuthFeature
{
    public const string Switch = "McpLambda.OAuth";

    /// <summary>True unless the build turned OAuth off.</summary>
#if NET9_0_OR_GREATER
    [FeatureSwitchDefinition(Switch)]
#endif
    public static bool IsSupported => !AppContext.TryGetSwitch(Switch, out var enabled) || enabled;
}
