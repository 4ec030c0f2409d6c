using System.Buffers;
using System.Text;
using System.Text.Json;
using McpLambda.Runtime.Invocations;

namespace McpLambda.Runtime.Observability;

/// <summary>
/// Writes an invocation's metrics as CloudWatch embedded metric format documents, each the raw JSON object alone on one
/// stdout line (so CloudWatch Logs extracts the metrics in Text and JSON log format alike; no SDK call, no permission
/// beyond the log group). Requests alike in method, tool and error share one document whose values are arrays, so a
/// single message (the common case) makes one line per invocation. See the README for the metric names.
/// Each document also has the <c>timestamp</c> and <c>level</c> a JSON log line has: with log-level filtering Lambda
/// treats a line without a level as INFO, and would drop the metrics of a function whose log level is above INFO, so
/// they carry <paramref name="level"/>, the function's log level when that is above INFO.
/// </summary>
internal sealed class EmbeddedMetricsWriter(string metricsNamespace, string functionName, Func<TextWriter> output, TimeProvider? clock = null,
    LambdaLogLevel level = LambdaLogLevel.Info)
{
    /// <summary>EMF takes at most 100 values per metric in one document.</summary>
    internal const int MaxValues = 100;

    private readonly TimeProvider _clock = clock ?? TimeProvider.System;
    private readonly object _gate = new();

    /// <summary>Writes the documents of one invocation; nothing when it measured nothing.</summary>
    public void Write(IReadOnlyList<RequestMeasurement> requests, int serverRestarts, string? requestId, string? traceId)
    {
        var now = _clock.GetUtcNow();
        var lines = new List<string>();
        var restartsWritten = false;
        foreach (var group in requests.GroupBy(r => (r.Method, r.Tool, r.ErrorClass, r.ErrorCode)))
        {
            foreach (var chunk in group.Chunk(MaxValues))
            {
                lines.Add(Document(now, chunk, restartsWritten ? null : serverRestarts, requestId, traceId));
                restartsWritten = true;
            }
        }

        if (!restartsWritten && serverRestarts > 0)
        {
            lines.Add(Document(now, [], serverRestarts, requestId, traceId));
        }

        if (lines.Count == 0)
        {
            return;
        }

        lock (_gate)
        {
            var writer = output();
            foreach (var line in lines)
            {
                writer.WriteLine(line);
            }

            writer.Flush();
        }
    }

    private string Document(DateTimeOffset now, RequestMeasurement[] requests, int? serverRestarts, string? requestId, string? traceId)
    {
        var first = requests.Length > 0 ? requests[0] : null;
        var buffer = new ArrayBufferWriter<byte>(512);
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("timestamp", LogWriter.Timestamp(now));
            json.WriteString("level", LogLevelNames.Name(level));
            json.WriteStartObject("_aws");
            json.WriteNumber("Timestamp", now.ToUnixTimeMilliseconds());
            json.WriteStartArray("CloudWatchMetrics");
            if (first is not null)
            {
                Directive(json, first.Tool is null ? [[MetricNames.FunctionName, MetricNames.Method]]
                    : [[MetricNames.FunctionName, MetricNames.Method], [MetricNames.FunctionName, MetricNames.Method, MetricNames.Tool]],
                    (MetricNames.Duration, "Milliseconds"), (MetricNames.Successes, "Count"), (MetricNames.Errors, "Count"));
                if (first.ErrorClass is not null)
                {
                    Directive(json, [[MetricNames.FunctionName, MetricNames.Method, MetricNames.ErrorClass]], (MetricNames.Errors, "Count"));
                }
            }

            if (serverRestarts is not null)
            {
                Directive(json, [[MetricNames.FunctionName]], (MetricNames.ServerRestarts, "Count"));
            }

            json.WriteEndArray();
            json.WriteEndObject();

            json.WriteString(MetricNames.FunctionName, functionName);
            if (first is not null)
            {
                json.WriteString(MetricNames.Method, first.Method);
                if (first.Tool is not null)
                {
                    json.WriteString(MetricNames.Tool, first.Tool);
                }

                if (first.ErrorClass is not null)
                {
                    json.WriteString(MetricNames.ErrorClass, first.ErrorClass);
                }

                if (first.ErrorCode is { } code)
                {
                    json.WriteNumber(MetricNames.ErrorCode, code);
                }

                Values(json, MetricNames.Duration, requests, r => Math.Round(r.DurationMilliseconds, 3));
                Values(json, MetricNames.Successes, requests, r => r.ErrorClass is null ? 1 : 0);
                Values(json, MetricNames.Errors, requests, r => r.ErrorClass is null ? 0 : 1);
            }

            if (serverRestarts is { } restarts)
            {
                json.WriteNumber(MetricNames.ServerRestarts, restarts);
            }

            if (requestId is not null)
            {
                json.WriteString("requestId", requestId);
            }

            if (traceId is not null)
            {
                json.WriteString("traceId", traceId);
            }

            json.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    private void Directive(Utf8JsonWriter json, string[][] dimensionSets, params (string Name, string Unit)[] metrics)
    {
        json.WriteStartObject();
        json.WriteString("Namespace", metricsNamespace);
        json.WriteStartArray("Dimensions");
        foreach (var set in dimensionSets)
        {
            json.WriteStartArray();
            foreach (var dimension in set)
            {
                json.WriteStringValue(dimension);
            }

            json.WriteEndArray();
        }

        json.WriteEndArray();
        json.WriteStartArray("Metrics");
        foreach (var (name, unit) in metrics)
        {
            json.WriteStartObject();
            json.WriteString("Name", name);
            json.WriteString("Unit", unit);
            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteEndObject();
    }

    /// <summary>One request's value as a number, several as an array (EMF reads both).</summary>
    private static void Values(Utf8JsonWriter json, string name, RequestMeasurement[] requests, Func<RequestMeasurement, double> value)
    {
        if (requests.Length == 1)
        {
            json.WriteNumber(name, value(requests[0]));
            return;
        }

        json.WriteStartArray(name);
        foreach (var request in requests)
        {
            json.WriteNumberValue(value(request));
        }

        json.WriteEndArray();
    }
}
