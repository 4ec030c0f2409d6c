using System.Text;

namespace McpLambda.Resilience.Tests;

/// <summary>
/// Copies what the process writes to one of its standard streams while it is alive, still passing it through. Captures
/// in tests that run in parallel each see everything: one tee per stream, installed once over the real writer, feeds
/// every live capture (replacing and restoring the writer per capture would cut the others off).
/// </summary>
internal abstract class ConsoleCapture : IDisposable
{
    private readonly Tee _tee;
    private readonly StringWriter _copy = new();

    private protected ConsoleCapture(Lazy<Tee> tee)
    {
        _tee = tee.Value;
        _tee.Add(_copy);
    }

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

    public void Dispose() => _tee.Remove(_copy);

    private protected sealed class Tee(TextWriter original) : TextWriter
    {
        private readonly List<StringWriter> _copies = [];

        public override Encoding Encoding => original.Encoding;

        public void Add(StringWriter copy)
        {
            lock (_copies)
            {
                _copies.Add(copy);
            }
        }

        public void Remove(StringWriter copy)
        {
            lock (_copies)
            {
                _copies.Remove(copy);
            }
        }

        public override void Write(char value)
        {
            original.Write(value);
            ToCopies(copy => copy.Write(value));
        }

        public override void Write(string? value)
        {
            original.Write(value);
            ToCopies(copy => copy.Write(value));
        }

        public override void WriteLine(string? value)
        {
            original.WriteLine(value);
            ToCopies(copy => copy.WriteLine(value));
        }

        private void ToCopies(Action<StringWriter> write)
        {
            StringWriter[] copies;
            lock (_copies)
            {
                copies = [.. _copies];
            }

            foreach (var copy in copies)
            {
                lock (copy)
                {
                    write(copy);
                }
            }
        }
    }
}

/// <summary>What the process writes to stderr: the function's log.</summary>
internal sealed class StderrCapture() : ConsoleCapture(Shared)
{
    private static readonly Lazy<Tee> Shared = new(() =>
    {
        var tee = new Tee(Console.Error);
        Console.SetError(TextWriter.Synchronized(tee));
        return tee;
    });
}

/// <summary>What the process writes to stdout: the function's embedded metric format documents.</summary>
internal sealed class StdoutCapture() : ConsoleCapture(Shared)
{
    private static readonly Lazy<Tee> Shared = new(() =>
    {
        var tee = new Tee(Console.Out);
        Console.SetOut(TextWriter.Synchronized(tee));
        return tee;
    });
}
