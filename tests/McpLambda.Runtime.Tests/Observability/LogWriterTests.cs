using System.Globalization;
using System.Text.Json;
using McpLambda.Runtime.Observability;
using McpLambda.Runtime.Invocations;

namespace McpLambda.Runtime.Tests.Observability;

/// <summary>The log follows Lambda's advanced logging controls: JSON lines of the documented shape, and the level filter.</summary>
public sealed class LogWriterTests
{
    private static readonly DateTimeOffset At = new(2026, 11, 25, 18, 4, 5, 67, TimeSpan.FromHours(2));

    [Fact]
    public void A_json_line_inside_an_invocation_has_timestamp_level_request_id_trace_id_message_and_extra_fields()
    {
        var (writer, output) = Create(LambdaLogFormat.Json, LambdaLogLevel.Info);

        using (new InvocationContext("8f507cfc-example-request", "Root=1-5759e988-bd862e3fe1be46a994272793;Sampled=1", null, default).Enter())
        {
            writer.Write(LambdaLogLevel.Warn, "the \"server\" said: naïve <ok>", fields: [new LogField("source", "test")]);
        }

        using var line = JsonDocument.Parse(SingleLine(output));
        var root = line.RootElement;
        Assert.Equal(["timestamp", "level", "requestId", "traceId", "message", "source"], root.EnumerateObject().Select(p => p.Name));
        Assert.Equal("2026-11-25T16:04:05.067Z", root.GetProperty("timestamp").GetString());
        Assert.Equal(At, DateTimeOffset.Parse(root.GetProperty("timestamp").GetString()!, CultureInfo.InvariantCulture));
        Assert.Equal("WARN", root.GetProperty("level").GetString());
        Assert.Equal("8f507cfc-example-request", root.GetProperty("requestId").GetString());
        Assert.Equal("Root=1-5759e988-bd862e3fe1be46a994272793;Sampled=1", root.GetProperty("traceId").GetString());
        Assert.Equal("the \"server\" said: naïve <ok>", root.GetProperty("message").GetString());
        Assert.Equal("test", root.GetProperty("source").GetString());
    }

    [Fact]
    public void A_json_line_outside_an_invocation_has_no_request_or_trace_id()
    {
        var (writer, output) = Create(LambdaLogFormat.Json, LambdaLogLevel.Info);

        writer.Write(LambdaLogLevel.Info, "init: ready");

        using var line = JsonDocument.Parse(SingleLine(output));
        Assert.Equal(["timestamp", "level", "message"], line.RootElement.EnumerateObject().Select(p => p.Name));
        Assert.Equal("INFO", line.RootElement.GetProperty("level").GetString());
    }

    [Fact]
    public void A_line_for_another_invocation_names_that_invocations_request_and_trace()
    {
        var (writer, output) = Create(LambdaLogFormat.Json, LambdaLogLevel.Info);

        var other = new InvocationContext("req-other", "Root=other", null, default).Enter();
        other.Dispose();
        using (new InvocationContext("req-current", "Root=current", null, default).Enter())
        {
            writer.Write(LambdaLogLevel.Info, "server stderr", invocation: other);
        }

        using var line = JsonDocument.Parse(SingleLine(output));
        Assert.Equal("req-other", line.RootElement.GetProperty("requestId").GetString());
        Assert.Equal("Root=other", line.RootElement.GetProperty("traceId").GetString());
    }

    [Theory]
    [InlineData(0, "TRACE")]
    [InlineData(1, "DEBUG")]
    [InlineData(2, "INFO")]
    [InlineData(3, "WARN")]
    [InlineData(4, "ERROR")]
    [InlineData(5, "FATAL")]
    public void Levels_are_written_upper_case_and_parsed_in_any_case(int severity, string name)
    {
        var level = (LambdaLogLevel)severity;
        var (writer, output) = Create(LambdaLogFormat.Json, LambdaLogLevel.Trace);

        writer.Write(level, "x");

        using var line = JsonDocument.Parse(SingleLine(output));
        Assert.Equal(name, line.RootElement.GetProperty("level").GetString());
        Assert.Equal(level, LogLevelNames.Parse(name.ToLowerInvariant()));
    }

    [Fact]
    public void Lines_below_the_level_are_not_written()
    {
        var (writer, output) = Create(LambdaLogFormat.Json, LambdaLogLevel.Warn);

        writer.Write(LambdaLogLevel.Debug, "debug");
        writer.Write(LambdaLogLevel.Info, "info");
        writer.Write(LambdaLogLevel.Warn, "warn");
        writer.Write(LambdaLogLevel.Error, "error");

        var levels = Lines(output).Select(l => JsonDocument.Parse(l).RootElement.GetProperty("message").GetString());
        Assert.Equal(["warn", "error"], levels);
    }

    [Fact]
    public void Text_stays_the_readable_line_and_adds_the_request_id_inside_an_invocation()
    {
        var (writer, output) = Create(LambdaLogFormat.Text, LambdaLogLevel.Info);

        writer.Write(LambdaLogLevel.Info, "init: ready");
        writer.Write(LambdaLogLevel.Debug, "not written at INFO");
        using (new InvocationContext("req-7", "Root=7", null, default).Enter())
        {
            writer.Write(LambdaLogLevel.Error, "it failed");
        }

        Assert.Equal(["[mcp-lambda] INFO init: ready", "[mcp-lambda] ERROR req-7 it failed"], Lines(output));
    }

    [Theory]
    [InlineData("tools/call\n[mcp-lambda] ERROR forged", @"tools/call\n[mcp-lambda] ERROR forged")]
    [InlineData("a\r\nb\tc", @"a\r\nb\tc")]
    [InlineData("bell\u0007 esc\u001b[31m del\u007f", @"bell\u0007 esc\u001b[31m del\u007f")]
    [InlineData("nel\u0085 ls\u2028 ps\u2029", @"nel\u0085 ls\u2028 ps\u2029")]
    [InlineData("C:\\path naïve \"quoted\"", "C:\\path naïve \"quoted\"")]
    public void Text_escapes_control_characters_so_client_text_cannot_forge_or_split_lines(string text, string written)
    {
        var (writer, output) = Create(LambdaLogFormat.Text, LambdaLogLevel.Info);

        using (new InvocationContext("req-1", "Root=1", null, default).Enter())
        {
            writer.Write(LambdaLogLevel.Warn, text, fields: [new LogField("method", text)]);
        }

        Assert.Equal($"[mcp-lambda] WARN req-1 {written} method={written}" + Environment.NewLine, output.ToString());
    }

    [Theory]
    [InlineData("tools/call\n[mcp-lambda] ERROR forged")]
    [InlineData("a\r\nb\tc\u0007\u001b\u007f")]
    [InlineData("nel\u0085 ls\u2028 ps\u2029")]
    public void Json_keeps_every_line_whole_and_the_text_exact(string text)
    {
        var (writer, output) = Create(LambdaLogFormat.Json, LambdaLogLevel.Info);

        writer.Write(LambdaLogLevel.Info, text, fields: [new LogField("method", text)]);

        var written = output.ToString();
        Assert.EndsWith(Environment.NewLine, written);
        var json = written[..^Environment.NewLine.Length];
        Assert.Equal(-1, json.IndexOfAny(['\n', '\r', '\u0085', '\u2028', '\u2029']));
        using var line = JsonDocument.Parse(json);
        Assert.Equal(text, line.RootElement.GetProperty("message").GetString());
        Assert.Equal(text, line.RootElement.GetProperty("method").GetString());
    }

    [Fact]
    public void The_default_writer_is_text_at_info()
    {
        Assert.Equal(LambdaLogFormat.Text, LogWriter.Default.Format);
        Assert.Equal(LambdaLogLevel.Info, LogWriter.Default.Minimum);
    }

    private static (LogWriter Writer, StringWriter Output) Create(LambdaLogFormat format, LambdaLogLevel level)
    {
        var output = new StringWriter();
        return (new LogWriter(format, level, () => output, new FixedClock(At)), output);
    }

    private static string[] Lines(StringWriter output) => output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    private static string SingleLine(StringWriter output) => Assert.Single(Lines(output));

    private sealed class FixedClock(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now.ToUniversalTime();
    }
}
