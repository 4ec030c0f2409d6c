using System.Text;

namespace McpLambda.Resilience.Tests;

/// <summary>Copies what the process writes to stderr (the function's log) while it is alive, still passing it through.</summary>
internal sealed class StderrCapture : IDisposable
{
    private readonly TextWriter _original = Console.Error;
    private readonly StringWriter _copy = new();

    public StderrCapture() => Console.SetError(TextWriter.Synchronized(new TeeWriter(_original, _copy)));

    public string Text
    {
        get
        {
            lock (_copy)
            {
                return _copy.ToString();
            }
        }
    }

    public void Dispose() => Console.SetError(_original);

    private sealed class TeeWriter(TextWriter first, StringWriter second) : TextWriter
    {
        public override Encoding Encoding => first.Encoding;

        public override void Write(char value)
        {
            first.Write(value);
            lock (second)
            {
                second.Write(value);
            }
        }

        public override void Write(string? value)
        {
            first.Write(value);
            lock (second)
            {
                second.Write(value);
            }
        }

        public override void WriteLine(string? value)
        {
            first.WriteLine(value);
            lock (second)
            {
                second.WriteLine(value);
            }
        }
    }
}
