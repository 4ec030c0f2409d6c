using System.Threading.Channels;

namespace McpLambda.Runtime.StreamableHttp;

/// <summary>
/// The SSE events of one live answer waiting to be written to the client. The server's stdout reader adds them and must
/// never wait, so the queue is bounded by what it admits: once <see cref="MaxQueuedBytes"/> wait, further notifications
/// are dropped, except that the latest progress notification is kept aside and goes when there is room (or before the
/// next event that must go), so a slow client still sees where the call stands. Requests to the client and the answer
/// always go in.
/// </summary>
internal sealed class PendingEvents
{
    /// <summary>How many bytes of events may wait for a slow client before notifications are dropped.</summary>
    public const int MaxQueuedBytes = 1024 * 1024;

    private readonly Channel<byte[]> _queue = Channel.CreateUnbounded<byte[]>(new UnboundedChannelOptions { SingleReader = true });
    private readonly object _lock = new();
    private long _queuedBytes;
    private byte[]? _latestProgress;

    /// <summary>How many notifications were dropped because too many bytes waited.</summary>
    public int Dropped { get; private set; }

    /// <summary>The bytes of the events queued and not yet taken.</summary>
    public long QueuedBytes
    {
        get
        {
            lock (_lock)
            {
                return _queuedBytes;
            }
        }
    }

    /// <summary>Queues an event that must reach the client (a request, the answer), after any progress kept aside.</summary>
    public void Add(byte[] framed)
    {
        lock (_lock)
        {
            QueueLatestProgress();
            Queue(framed);
        }
    }

    /// <summary>Queues a notification if there is room; otherwise drops it, or keeps it aside when it is progress (dropping the one kept before).</summary>
    public void Offer(byte[] framed, bool progress)
    {
        lock (_lock)
        {
            if (_queuedBytes + framed.Length <= MaxQueuedBytes)
            {
                QueueLatestProgress();
                Queue(framed);
                return;
            }

            if (!progress || _latestProgress is not null)
            {
                Dropped++;
            }

            _latestProgress = progress ? framed : _latestProgress;
        }
    }

    /// <summary>No more events will be added.</summary>
    public void Complete() => _queue.Writer.TryComplete();

    /// <summary>Waits until an event can be taken; false when none ever will.</summary>
    public ValueTask<bool> WaitToTakeAsync(CancellationToken cancellationToken) => _queue.Reader.WaitToReadAsync(cancellationToken);

    /// <summary>Takes the next event: the queued ones first, then the progress kept aside.</summary>
    public bool TryTake(out byte[] framed)
    {
        lock (_lock)
        {
            if (_queue.Reader.TryRead(out framed!))
            {
                _queuedBytes -= framed.Length;
                return true;
            }

            framed = _latestProgress!;
            _latestProgress = null;
            return framed is not null;
        }
    }

    private void QueueLatestProgress()
    {
        if (_latestProgress is { } latest)
        {
            _latestProgress = null;
            Queue(latest);
        }
    }

    private void Queue(byte[] framed)
    {
        _queuedBytes += framed.Length;
        _queue.Writer.TryWrite(framed);
    }
}
