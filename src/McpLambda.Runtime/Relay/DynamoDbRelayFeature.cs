using System.Diagnostics.CodeAnalysis;

namespace McpLambda.Runtime.Relay;

/// <summary>
/// Whether the function is built with the DynamoDB relay (<c>McpLambdaDynamoDbRelay</c>). A build switch, so that a
/// Native AOT function without it leaves the AWS SDK's DynamoDB client out (about 5 MB of bootstrap).
/// </summary>
internal static class DynamoDbRelayFeature
{
    public const string Switch = "McpLambda.DynamoDbRelay";

    /// <summary>True unless the build turned the relay off; outside a function build (tests, tools) it is on.</summary>
#if NET9_0_OR_GREATER
    [FeatureSwitchDefinition(Switch)]
#endif
    public static bool IsSupported => !AppContext.TryGetSwitch(Switch, out var enabled) || enabled;
}
