using System.Text;
using CsCheck;
using McpLambda.Runtime.Http;
using Xunit.Abstractions;

namespace McpLambda.Runtime.Tests.Fuzzing;

/// <summary>
/// Property-based fuzzing of the one HTTP/1.1 reader behind every streamed byte: chunked requests into local mode and
/// the Runtime API emulation (a streamed response is such a request), and the Runtime API's answers to the runtime.
/// Messages are generated with their framing (lengths, chunks, trailers), two to a connection, delivered in random
/// slices; a well-formed pair must read back exactly, and a blindly corrupted one must either read or fail with the
/// reader's own format error, never another exception.
/// </summary>
public sealed class WireFuzzTests(ITestOutputHelper output)
{
    private const int Cases = 20_000;
    private const int MaxBodyBytes = 2048;

    private static readonly Gen<string> Token = Gen.String[Gen.Char["abcdefghijklmnopqrstuvwxyz-ABCXYZ0123456789"], 1, 12];

    private static readonly Gen<(string Name, string Value)> Header =
        from name in Gen.Frequency((3, Token), (1, Gen.OneOf(Gen.Const("X-Amzn-Trace-Id"), Gen.Const("Lambda-Runtime-Aws-Request-Id"))))
        from value in Gen.String[Gen.Char[' ', '~'], 0, 40]
        select (name, value.Trim());

    private static readonly Gen<byte[]> Chunk = Gen.Frequency(
        (40, Gen.Byte.Array[1, 300]),
        (1, Gen.Byte.Array[MaxBodyBytes - 10, MaxBodyBytes + 10]));

    private static readonly Gen<WireMessage> Message =
        from status in Gen.Int[100, 599]
        from headers in Header.List[0, 6]
        from chunked in Gen.Bool
        from chunks in Chunk.List[0, 6]
        from trailers in Header.List[0, 2]
        select new WireMessage(status, headers, chunked, chunks, chunked ? trailers : []);

    private static readonly Gen<WireCase> Case =
        from first in Message
        from second in Message
        from slices in Gen.Int[1, 64].Array[1, 16]
        from corruption in Gen.Frequency(
            (3, Gen.Const(() => (Corruption?)null)),
            (1, from at in Gen.Double[0, 1] from kind in Gen.Int[0, 3] from value in Gen.Byte select (Corruption?)new Corruption(at, kind, value)))
        select new WireCase(first, second, slices, corruption);

    [Fact]
    public async Task Every_framed_message_reads_back_exactly_and_every_corrupted_one_fails_only_with_a_format_error()
    {
        var outcomes = new Dictionary<string, int>();
        await Case.SampleSeededAsync(async c =>
        {
            var outcome = await RunAsync(c, response: true) + " / " + await RunAsync(c, response: false);
            lock (outcomes)
            {
                outcomes[outcome] = outcomes.GetValueOrDefault(outcome) + 1;
            }
        }, SeededSampling.Seeds("wire messages", Cases));

        foreach (var (outcome, count) in outcomes.OrderByDescending(o => o.Value))
        {
            output.WriteLine($"{count,7}  {outcome}");
        }

        Assert.True(outcomes.Keys.Any(k => k.StartsWith("read", StringComparison.Ordinal)), "no message was read back");
        Assert.True(outcomes.Keys.Any(k => k.Contains("format error", StringComparison.Ordinal)), "no corruption was refused");
    }

    /// <summary>Reads the case as two responses (the runtime's side) or two requests, chunked bodies chunk by chunk (local mode's side).</summary>
    private static async Task<string> RunAsync(WireCase c, bool response)
    {
        var bytes = c.Bytes(response);
        var reader = new HttpMessageReader(new SlicedStream(bytes, c.Slices), MaxBodyBytes, Timeout.InfiniteTimeSpan);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        try
        {
            foreach (var expected in new[] { c.First, c.Second })
            {
                var message = response ? await ReadResponseAsync(reader, timeout.Token) : await ReadRequestAsync(reader, timeout.Token);
                if (message is not var (headers, body, trailers))
                {
                    Assert.True(c.Corruption is not null, "the connection ended before a well-formed message");
                    return "ended early";
                }

                if (c.Corruption is null)
                {
                    Assert.True(expected.FitsLimit(response), $"a message over the limit was read: {expected}");
                    Assert.Equal(expected.Body, body);
                    Assert.All(expected.Headers, h => Assert.Contains(h.Value, headers.GetValues(h.Name)));
                    Assert.All(trailers is null ? [] : expected.Trailers, t => Assert.Contains(t.Value, trailers!.GetValues(t.Name)));
                }
            }

            var after = response ? await ReadResponseAsync(reader, timeout.Token) : await ReadRequestAsync(reader, timeout.Token);
            Assert.True(c.Corruption is not null || after is null, "bytes were left after the two messages");
            return "read";
        }
        catch (HttpMessageFormatException ex)
        {
            Assert.True(c.Corruption is not null || !c.First.FitsLimit(response) || !c.Second.FitsLimit(response), $"a well-formed message was refused: {ex.Message}\n{c.First}\n{c.Second}");
            return "format error " + ex.Status;
        }
    }

    /// <summary>A response with its whole body (trailers of a response are not kept: null).</summary>
    private static async Task<(HttpHeaderCollection Headers, byte[] Body, HttpHeaderCollection? Trailers)?> ReadResponseAsync(HttpMessageReader reader, CancellationToken cancellationToken)
        => await reader.ReadResponseAsync(cancellationToken) is { } response ? (response.Headers, response.Body.ToArray(), null) : null;

    /// <summary>A request, its chunked body read chunk by chunk as local mode reads a streamed one, with its trailers.</summary>
    private static async Task<(HttpHeaderCollection Headers, byte[] Body, HttpHeaderCollection? Trailers)?> ReadRequestAsync(HttpMessageReader reader, CancellationToken cancellationToken)
    {
        if (await reader.ReadRequestAsync(cancellationToken, leaveChunkedBody: _ => true) is not { } request)
        {
            return null;
        }

        var trailers = new HttpHeaderCollection();
        if (request.Headers["Transfer-Encoding"] != "chunked")
        {
            return (request.Headers, request.Body.ToArray(), trailers);
        }

        var body = new List<byte>();
        while (await reader.ReadChunkAsync(trailers, cancellationToken) is { } chunk)
        {
            body.AddRange(chunk);
        }

        return (request.Headers, body.ToArray(), trailers);
    }

    private sealed record WireMessage(int Status, List<(string Name, string Value)> Headers, bool Chunked, List<byte[]> Chunks, List<(string Name, string Value)> Trailers)
    {
        public byte[] Body => [.. Chunks.SelectMany(c => c)];

        /// <summary>
        /// Whether the reader takes it: a whole body within the limit, and for a request read chunk by chunk, each chunk
        /// within it (the reader holds one at a time).
        /// </summary>
        public bool FitsLimit(bool response) => Chunked && !response ? Chunks.All(c => c.Length <= MaxBodyBytes) : Body.Length <= MaxBodyBytes;

        public byte[] ToBytes(bool response)
        {
            var head = new StringBuilder(response ? $"HTTP/1.1 {Status} Whatever\r\n" : "POST /2018-06-01/runtime/invocation/id/response HTTP/1.1\r\n");
            foreach (var (name, value) in Headers.Where(h => !IsFraming(h.Name)))
            {
                head.Append(name).Append(": ").Append(value).Append("\r\n");
            }

            head.Append(Chunked ? "Transfer-Encoding: chunked\r\n" : $"Content-Length: {Body.Length}\r\n").Append("\r\n");
            var bytes = new List<byte>(Encoding.ASCII.GetBytes(head.ToString()));
            if (!Chunked)
            {
                bytes.AddRange(Body);
                return [.. bytes];
            }

            foreach (var chunk in Chunks)
            {
                bytes.AddRange(ChunkedEncoding.Frame(chunk));
            }

            bytes.AddRange(Encoding.ASCII.GetBytes("0\r\n" + string.Concat(Trailers.Select(t => $"{t.Name}: {t.Value}\r\n")) + "\r\n"));
            return [.. bytes];
        }

        private static bool IsFraming(string name)
            => name.Equals("Content-Length", StringComparison.OrdinalIgnoreCase) || name.Equals("Transfer-Encoding", StringComparison.OrdinalIgnoreCase)
                || name.Equals("Expect", StringComparison.OrdinalIgnoreCase);

        public override string ToString() => $"status {Status}, {(Chunked ? "chunks " + string.Join(",", Chunks.Select(c => c.Length)) : "length " + Body.Length)}";
    }

    /// <summary>A blind change at a relative position: flip a byte, insert one, delete one, or cut the stream there.</summary>
    private sealed record Corruption(double At, int Kind, byte Value)
    {
        public byte[] Apply(byte[] bytes)
        {
            var at = (int)(At * (bytes.Length - 1));
            return Kind switch
            {
                0 => [.. bytes[..at], (byte)(bytes[at] ^ (Value | 1)), .. bytes[(at + 1)..]],
                1 => [.. bytes[..at], Value, .. bytes[at..]],
                2 => [.. bytes[..at], .. bytes[(at + 1)..]],
                _ => bytes[..at],
            };
        }
    }

    private sealed record WireCase(WireMessage First, WireMessage Second, int[] Slices, Corruption? Corruption)
    {
        public byte[] Bytes(bool response)
        {
            byte[] both = [.. First.ToBytes(response), .. Second.ToBytes(response)];
            return Corruption?.Apply(both) ?? both;
        }
    }

    /// <summary>A connection that delivers its bytes in the given slice sizes, round and round, as a socket may.</summary>
    private sealed class SlicedStream(byte[] bytes, int[] slices) : Stream
    {
        private int _position;
        private int _read;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => bytes.Length;

        public override long Position { get => _position; set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count)
        {
            var n = Math.Min(Math.Min(count, slices[_read++ % slices.Length]), bytes.Length - _position);
            bytes.AsSpan(_position, n).CopyTo(buffer.AsSpan(offset));
            _position += n;
            return n;
        }

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            var n = Math.Min(Math.Min(buffer.Length, slices[_read++ % slices.Length]), bytes.Length - _position);
            bytes.AsSpan(_position, n).CopyTo(buffer.Span);
            _position += n;
            return ValueTask.FromResult(n);
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
