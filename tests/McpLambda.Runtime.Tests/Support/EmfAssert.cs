using System.Text.Json;

namespace McpLambda.Runtime.Tests.Support;

/// <summary>
/// Checks a document against the CloudWatch embedded metric format specification: the <c>_aws</c> metadata, every
/// directive's members, and that every dimension and metric it names is a root member of the right kind.
/// </summary>
internal static class EmfAssert
{
    private static readonly HashSet<string> Units = ["Seconds", "Microseconds", "Milliseconds", "Bytes", "Kilobytes", "Megabytes", "Gigabytes",
        "Terabytes", "Bits", "Kilobits", "Megabits", "Gigabits", "Terabits", "Percent", "Count", "Bytes/Second", "Kilobytes/Second",
        "Megabytes/Second", "Gigabytes/Second", "Terabytes/Second", "Bits/Second", "Kilobits/Second", "Megabits/Second", "Gigabits/Second",
        "Terabits/Second", "Count/Second", "None"];

    /// <summary>Parses one log line as an EMF document and checks it; returns the root for further assertions.</summary>
    public static JsonElement Valid(string line)
    {
        Assert.StartsWith("{", line);
        var root = JsonDocument.Parse(line).RootElement;
        Assert.Equal(JsonValueKind.Object, root.ValueKind);
        var aws = root.GetProperty("_aws");
        Assert.All(aws.EnumerateObject(), member => Assert.Contains(member.Name, new[] { "Timestamp", "CloudWatchMetrics", "LogGroupName" }));
        Assert.True(aws.GetProperty("Timestamp").TryGetInt64(out var timestamp) && timestamp > 1_500_000_000_000, "Timestamp must be epoch milliseconds");
        var directives = aws.GetProperty("CloudWatchMetrics");
        Assert.NotEqual(0, directives.GetArrayLength());
        foreach (var directive in directives.EnumerateArray())
        {
            Assert.Equal(["Dimensions", "Metrics", "Namespace"], directive.EnumerateObject().Select(m => m.Name).Order(StringComparer.Ordinal));
            var ns = directive.GetProperty("Namespace").GetString();
            Assert.False(string.IsNullOrEmpty(ns));
            foreach (var set in directive.GetProperty("Dimensions").EnumerateArray())
            {
                Assert.InRange(set.GetArrayLength(), 1, 30);
                foreach (var dimension in set.EnumerateArray())
                {
                    var value = root.GetProperty(dimension.GetString()!);
                    Assert.Equal(JsonValueKind.String, value.ValueKind);
                    Assert.InRange(value.GetString()!.Length, 1, 1024);
                }
            }

            var metrics = directive.GetProperty("Metrics");
            Assert.InRange(metrics.GetArrayLength(), 1, 100);
            foreach (var metric in metrics.EnumerateArray())
            {
                Assert.Contains(metric.GetProperty("Unit").GetString()!, Units);
                var value = root.GetProperty(metric.GetProperty("Name").GetString()!);
                if (value.ValueKind == JsonValueKind.Array)
                {
                    Assert.InRange(value.GetArrayLength(), 1, 100);
                    Assert.All(value.EnumerateArray(), v => Assert.Equal(JsonValueKind.Number, v.ValueKind));
                }
                else
                {
                    Assert.Equal(JsonValueKind.Number, value.ValueKind);
                }
            }
        }

        return root;
    }

    /// <summary>The dimension sets of the directive that carries <paramref name="metric"/>, as joined names.</summary>
    public static string[] DimensionSets(JsonElement root, string metric) => [.. root.GetProperty("_aws").GetProperty("CloudWatchMetrics").EnumerateArray()
        .Where(d => d.GetProperty("Metrics").EnumerateArray().Any(m => m.GetProperty("Name").GetString() == metric))
        .SelectMany(d => d.GetProperty("Dimensions").EnumerateArray())
        .Select(set => string.Join(",", set.EnumerateArray().Select(n => n.GetString())))];
}
