using McpLambda.Runtime.RuntimeApi;

namespace McpLambda.Runtime.EventAdapters;

/// <summary>An event that does not have the shape its adapter expects.</summary>
internal sealed class EventFormatException(string message) : InvocationErrorException("Runtime.UnrecognizedEvent", message);
