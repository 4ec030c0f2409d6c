using McpLambda.Runtime.Configuration;
using McpLambda.Runtime.Observability;

namespace McpLambda.Runtime.Hosting;

/// <summary>The metrics a function's settings ask for: none unless <c>MCPLAMBDA_METRICS</c> turns them on.</summary>
internal static class RequestMetricsFactory
{
    /// <summary>The FunctionName dimension outside Lambda, where no function name is set.</summary>
    public const string LocalFunctionName = "local";

    public static RequestMetrics? Create(McpLambdaSettings settings)
        => settings.Metrics
            ? new RequestMetrics(new EmbeddedMetricsWriter(settings.MetricsNamespace, settings.FunctionName ?? LocalFunctionName, static () => Console.Out,
                level: settings.LogLevel > LambdaLogLevel.Info ? settings.LogLevel : LambdaLogLevel.Info))
            : null;
}
