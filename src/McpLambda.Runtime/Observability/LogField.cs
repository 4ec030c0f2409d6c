namespace McpLambda.Runtime.Observability;

/// <summary>An extra field of a log line: a JSON member in the JSON format, <c>name=value</c> in text.</summary>
internal readonly record struct LogField(string Name, string Value);
