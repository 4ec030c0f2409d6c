namespace McpLambda.Runtime.Invocations;

/// <summary>What one request measured, with dimension values already bounded (see <c>MetricDimensions</c>).</summary>
/// <param name="Method">The MCP method, or <c>(other)</c>.</param>
/// <param name="Tool">For <c>tools/call</c>, the tool; otherwise null.</param>
/// <param name="DurationMilliseconds">From handing the request over to having its answer.</param>
/// <param name="ErrorClass">Null on success; else one of the <c>ErrorClasses</c>.</param>
/// <param name="ErrorCode">The JSON-RPC error code, when the answer is a JSON-RPC error.</param>
internal sealed record RequestMeasurement(string Method, string? Tool, double DurationMilliseconds, string? ErrorClass, int? ErrorCode);
