using System.Text;
using System.Text.Json.Nodes;
using McpLambda.Runtime.Http;

namespace McpLambda.Resilience.Tests;

/// <summary>
/// A live response that keeps what is written to it: its client starts reading only after <c>opensAfter</c>, and
/// with <c>failsWrites</c> is gone (every write of the body fails as a closed connection's does).
/// </summary>
internal sealed class RecordingResponse(TimeSpan opensAfter, bool failsWrites = false) : IHttpResponseWriter
{
    private readonly MemoryStream _body = new();

    public bool IsLive => true;

    public BodySize SizeOf => BodySizes.AsIs;

    public long Written => _body.Length;

    public ValueTask SendAsync(BufferedHttpResponse response, CancellationToken cancellationToken)
    {
        _body.Write(response.Body.Span);
        return ValueTask.CompletedTask;
    }

    public async ValueTask StartAsync(int statusCode, HttpHeaderCollection headers, CancellationToken cancellationToken)
        => await Task.Delay(opensAfter, cancellationToken);

    public ValueTask WriteAsync(ReadOnlyMemory<byte> chunk, CancellationToken cancellationToken)
    {
        if (failsWrites)
        {
            throw new IOException("the client closed the connection");
        }

        _body.Write(chunk.Span);
        return ValueTask.CompletedTask;
    }

    public List<JsonObject> Events() => Events(Encoding.UTF8.GetString(_body.ToArray()));

    /// <summary>The JSON of each <c>message</c> event, in order.</summary>
    public static List<JsonObject> Events(string body)
        => [.. body.Split("\n\n", StringSplitOptions.RemoveEmptyEntries)
            .Where(e => e.StartsWith("event: message\n", StringComparison.Ordinal))
            .Select(e => JsonNode.Parse(e["event: message\ndata: ".Length..])!.AsObject())];
}
