using McpLambda.Runtime.Invocations;
using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace McpLambda.Runtime.Observability;

/// <summary>
/// Formats and writes the function's log lines by Lambda's advanced logging controls: a level filter, and either the
/// readable text line or one JSON object per line (<c>timestamp</c>, <c>level</c>, <c>requestId</c>, <c>traceId</c>,
/// <c>message</c>, then any extra fields) that CloudWatch Logs Insights reads without parsing rules.
/// </summary>
internal sealed class LogWriter(LambdaLogFormat format, LambdaLogLevel minimum, Func<TextWriter> output, TimeProvider? clock = null)
{
    /// <summary>Relaxed escaping keeps messages readable (quotes, non-ASCII); the lines are never embedded in HTML.</summary>
    private static readonly JsonWriterOptions JsonOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
    private readonly object _gate = new();
    private readonly TimeProvider _clock = clock ?? TimeProvider.System;

    /// <summary>Text at INFO to stderr, what a function without logging controls gets.</summary>
    public static LogWriter Default { get; } = new(LambdaLogFormat.Text, LambdaLogLevel.Info, static () => Console.Error);

    public LambdaLogFormat Format => format;

    public LambdaLogLevel Minimum => minimum;

    public bool IsEnabled(LambdaLogLevel level) => level >= minimum;

    /// <summary>
    /// Writes one line if <paramref name="level"/> passes the filter. The request and trace ids are those of the current
    /// invocation unless <paramref name="invocation"/> names another (a server's stderr line, read outside the invocation's flow).
    /// </summary>
    public void Write(LambdaLogLevel level, string message, InvocationContext? invocation = null, IReadOnlyList<LogField>? fields = null)
    {
        if (!IsEnabled(level))
        {
            return;
        }

        invocation ??= InvocationContext.Current;
        var (requestId, traceId) = (invocation?.RequestId, invocation?.TraceId);
        var line = format == LambdaLogFormat.Json
            ? Json(_clock.GetUtcNow(), level, message, requestId, traceId, fields)
            : Text(level, message, requestId, fields);
        lock (_gate)
        {
            output().WriteLine(line);
        }
    }

    /// <summary>RFC 3339 in UTC with millisecond precision, as Lambda's own JSON log lines have it.</summary>
    public static string Timestamp(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    private static string Text(LambdaLogLevel level, string message, string? requestId, IReadOnlyList<LogField>? fields)
    {
        var line = new StringBuilder("[mcp-lambda] ").Append(LogLevelNames.Name(level)).Append(' ');
        if (requestId is not null)
        {
            line.AppendEscaped(requestId).Append(' ');
        }

        line.AppendEscaped(message);
        foreach (var field in fields ?? [])
        {
            line.Append(' ').Append(field.Name).Append('=').AppendEscaped(field.Value);
        }

        return line.ToString();
    }

    private static string Json(DateTimeOffset time, LambdaLogLevel level, string message, string? requestId, string? traceId, IReadOnlyList<LogField>? fields)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var json = new Utf8JsonWriter(buffer, JsonOptions))
        {
            json.WriteStartObject();
            json.WriteString("timestamp", Timestamp(time));
            json.WriteString("level", LogLevelNames.Name(level));
            if (requestId is not null)
            {
                json.WriteString("requestId", requestId);
            }

            if (traceId is not null)
            {
                json.WriteString("traceId", traceId);
            }

            json.WriteString("message", message);
            foreach (var field in fields ?? [])
            {
                json.WriteString(field.Name, field.Value);
            }

            json.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }
}
