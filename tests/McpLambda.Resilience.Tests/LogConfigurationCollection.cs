namespace McpLambda.Resilience.Tests;

/// <summary>Tests that set or assert the process-wide log format run one after another, never beside each other.</summary>
[CollectionDefinition(nameof(LogConfigurationCollection))]
public sealed class LogConfigurationCollection;
