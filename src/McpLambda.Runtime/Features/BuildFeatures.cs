using System.Diagnostics.CodeAnalysis;

namespace McpLambda.Runtime.Features;

/// <summary>
/// The parts a function build can leave out (the <c>McpLambdaOAuth</c>, <c>McpLambdaSecrets</c> and
/// <c>McpLambdaDynamoDbRelay</c> properties, passed as trimming switches by buildTransitive/McpLambda.targets), so that a
/// Native AOT bootstrap without them leaves their libraries out. Each is on unless the build turned it off; outside a
/// function build (tests, tools) all are on.
/// </summary>
internal static class BuildFeatures
{
    public const string OAuthSwitch = "McpLambda.OAuth";
    public const string SecretsSwitch = "McpLambda.Secrets";
    public const string DynamoDbRelaySwitch = "McpLambda.DynamoDbRelay";

    /// <summary>OAuth token validation: without it, the token libraries.</summary>
#if NET9_0_OR_GREATER
    [FeatureSwitchDefinition(OAuthSwitch)]
#endif
    public static bool OAuth => IsOn(OAuthSwitch);

    /// <summary>Secret references for the server: without them, the signed GetParameters call and its SigV4 signer.</summary>
#if NET9_0_OR_GREATER
    [FeatureSwitchDefinition(SecretsSwitch)]
#endif
    public static bool Secrets => IsOn(SecretsSwitch);

    /// <summary>The DynamoDB relay: without it, the AWS SDK's DynamoDB client (about 5 MB of bootstrap).</summary>
#if NET9_0_OR_GREATER
    [FeatureSwitchDefinition(DynamoDbRelaySwitch)]
#endif
    public static bool DynamoDbRelay => IsOn(DynamoDbRelaySwitch);

    // The trimmer replaces each property above with its switch's value; this runs only where it did not.
    private static bool IsOn(string name) => !AppContext.TryGetSwitch(name, out var enabled) || enabled;
}
