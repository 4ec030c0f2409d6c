using System.Text;
using McpLambda.Runtime.Http;

namespace McpLambda.Runtime.Tests.Support;

/// <summary>A live response (as a streamed Lambda response or local mode's connection is) that records what was sent.</summary>
internal sealed class RecordingLiveResponse : IHttpResponseWriter
{
    private readonly object _gate = new();
    private readonly StringBuilder _body = new();

    public bool IsLive => true;

    public BodySize SizeOf => BodySizes.AsIs;

    /// <summary>The status sent (whole or at the start of a stream); 0 before any.</summary>
    public int StatusCode { get; private set; }

    /// <summary>The headers sent with the status.</summary>
    public HttpHeaderCollection? Headers { get; private set; }

    /// <summary>The body sent so far, as text.</summary>
    public string Body
    {
        get
        {
            lock (_gate)
            {
                return _body.ToString();
            }
        }
    }

    public ValueTask SendAsync(BufferedHttpResponse response, CancellationToken cancellationToken)
    {
        Start(response.StatusCode, response.Headers);
        return WriteAsync(response.Body, cancellationToken);
    }

    public ValueTask StartAsync(int statusCode, HttpHeaderCollection headers, CancellationToken cancellationToken)
    {
        Start(statusCode, headers);
        return ValueTask.CompletedTask;
    }

    public ValueTask WriteAsync(ReadOnlyMemory<byte> chunk, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            _body.Append(Encoding.UTF8.GetString(chunk.Span));
        }

        return ValueTask.CompletedTask;
    }

    private void Start(int statusCode, HttpHeaderCollection headers)
    {
        lock (_gate)
        {
            Assert.True(StatusCode == 0, $"a second response ({statusCode}) after {StatusCode}");
            (StatusCode, Headers) = (statusCode, headers);
        }
    }
}
