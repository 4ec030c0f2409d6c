namespace McpLambda.Runtime.Local;

/// <summary>Thrown by a <see cref="LoopbackHttpServer"/> handler to drop the connection without answering, as a failing peer would.</summary>
internal sealed class ConnectionAbortedByHandlerException() : Exception("The handler dropped the connection.");
