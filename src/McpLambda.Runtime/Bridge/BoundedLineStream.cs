namespace McpLambda.Runtime.Bridge;

/// <summary>
/// The child's stdout as the SDK's stream transport reads it, with every line bounded as it is read: a line longer
/// than <c>maxLineBytes</c> is cut there (what was passed on is not JSON, so the transport skips it), the rest of it
/// is discarded without being kept, and the line <c>replace</c> makes of it (an error answer for its request) is
/// passed on instead. Memory stays bounded however long a line the child writes.
/// </summary>
internal sealed class BoundedLineStream(Stream inner, int maxLineBytes, Func<OversizedStdoutLine, byte[]?> replace) : Stream
{
    /// <summary>How many bytes of each end of an oversized line are kept to find its request id.</summary>
    private const int KeptBytes = 256;

    private readonly byte[] _read = new byte[64 * 1024];
    private readonly byte[] _head = new byte[KeptBytes];
    private readonly byte[] _tail = new byte[KeptBytes];
    private byte[] _out = new byte[64 * 1024];
    private int _outStart;
    private int _outEnd;
    private int _headLength;
    private long _lineBytes;
    private bool _discarding;

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        while (_outStart == _outEnd)
        {
            var read = await inner.ReadAsync(_read, cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                return 0;
            }

            _outStart = _outEnd = 0;
            Filter(_read.AsSpan(0, read));
        }

        var count = Math.Min(buffer.Length, _outEnd - _outStart);
        _out.AsSpan(_outStart, count).CopyTo(buffer.Span);
        _outStart += count;
        return count;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
        => ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer, offset, count, CancellationToken.None).GetAwaiter().GetResult();

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            inner.Dispose();
        }

        base.Dispose(disposing);
    }

    private void Filter(ReadOnlySpan<byte> input)
    {
        foreach (var b in input)
        {
            if (b == (byte)'\n')
            {
                if (_discarding)
                {
                    EndOversizedLine();
                }
                else
                {
                    Emit(b);
                }

                _lineBytes = 0;
                _headLength = 0;
                continue;
            }

            _tail[_lineBytes % KeptBytes] = b;
            _lineBytes++;
            if (_discarding)
            {
                continue;
            }

            if (_headLength < KeptBytes)
            {
                _head[_headLength++] = b;
            }

            if (_lineBytes > maxLineBytes)
            {
                // End what was passed on here: the reader drops it as a line that is not JSON.
                _discarding = true;
                Emit((byte)'\n');
                continue;
            }

            Emit(b);
        }
    }

    private void EndOversizedLine()
    {
        _discarding = false;
        var tailLength = (int)Math.Min(_lineBytes, KeptBytes);
        var tail = new byte[tailLength];
        for (var i = 0; i < tailLength; i++)
        {
            tail[i] = _tail[(_lineBytes - tailLength + i) % KeptBytes];
        }

        if (replace(new OversizedStdoutLine(_lineBytes, _head[.._headLength], tail)) is { } replacement)
        {
            foreach (var b in replacement)
            {
                Emit(b);
            }

            Emit((byte)'\n');
        }
    }

    private void Emit(byte b)
    {
        if (_outEnd == _out.Length)
        {
            Array.Resize(ref _out, _out.Length * 2);
        }

        _out[_outEnd++] = b;
    }
}
