using McpLambda.Runtime.Hosting;

namespace McpLambda.Runtime.Bridge;

/// <summary>
/// Logs the child's stderr line by line and keeps its last lines, so that a crash can be explained
/// to the caller without sending them the whole log.
/// </summary>
internal sealed class StderrTail(int capacity)
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
        Log.Info("[server stderr] " + TextTruncation.Truncate(line, MaxLoggedLineLength));
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
