using System.Text;

namespace McpLambda.Resilience.Tests;

/// <summary>
/// Copies what the process writes to stderr (the function's log) while it is alive, still passing it through. Captures
/// in tests that run in parallel each see everything: one tee, installed once over the real stderr, feeds every live
/// capture (replacing and restoring <see cref="Console.Error"/> per capture would cut the others off).
/// </summary>
internal sealed class StderrCapture : IDisposable
{
    private static readonly Lazy<Tee> Shared = new(() =>
    {
        var tee = new Tee(Console.Error);
        Console.SetError(TextWriter.Synchronized(tee));
        return tee;
    });

    private readonly StringWriter _copy = new();

    public StderrCapture() => Shared.Value.Add(_copy);

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

    public void Dispose() => Shared.Value.Remove(_copy);

    private sealed class Tee(TextWriter original) : TextWriter
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
