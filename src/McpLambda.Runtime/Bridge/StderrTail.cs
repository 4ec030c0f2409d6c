using McpLambda.Runtime.Observability;

namespace McpLambda.Runtime.Bridge;

/// <summary>
/// Logs the child's stderr line by line and keeps its last lines, so that a crash can be explained
/// to the caller without sending them the whole log.
/// </summary>
/// <param name="capacity">How many last lines are kept.</param>
/// <param name="inFlight">The server's requests in flight: a line is logged as that invocation's when only one invocation has any.</param>
internal sealed class StderrTail(int capacity, InFlightRequests inFlight)
{
    /// <summary>A line kept for an error message is shorter than one logged: up to 20 of them go into that message.</summary>
    private const int MaxLineLength = 500;
    private const int MaxLoggedLineLength = 4096;
    private readonly Queue<string> _lines = new(capacity);

    public IReadOnlyList<string> Lines
    {
        get
        {
            lock (_lines)
            {
                return [.. _lines];
            }
        }
    }

    public void Add(string line)
    {
        Log.Write(LambdaLogLevel.Info, "[server stderr] " + TextTruncation.Truncate(line, MaxLoggedLineLength), inFlight.SoleInvocation, null);
        line = TextTruncation.Truncate(line, MaxLineLength);

        lock (_lines)
        {
            if (_lines.Count == capacity)
            {
                _lines.Dequeue();
            }

            _lines.Enqueue(line);
        }
    }
}
