using System.Runtime.CompilerServices;

namespace McpLambda.Generators.Tests;

/// <summary>
/// Compares text with a checked-in baseline <c>Snapshots/{name}.verified.cs</c> next to the test sources. On a mismatch
/// (or a missing baseline) it writes <c>Snapshots/{name}.received.cs</c> and fails; accept a change by moving the
/// received file over the verified one.
/// </summary>
internal static class SnapshotAssert
{
    public static void Matches(string actual, string name, [CallerFilePath] string callerFilePath = "")
    {
        var directory = Path.Combine(Path.GetDirectoryName(callerFilePath)!, "Snapshots");
        var verifiedPath = Path.Combine(directory, name + ".verified.cs");
        var receivedPath = Path.Combine(directory, name + ".received.cs");
        var normalizedActual = Normalize(actual);

        if (File.Exists(verifiedPath) && Normalize(File.ReadAllText(verifiedPath)) == normalizedActual)
        {
            if (File.Exists(receivedPath))
            {
                File.Delete(receivedPath);
            }

            return;
        }

        Directory.CreateDirectory(directory);
        File.WriteAllText(receivedPath, normalizedActual);
        var hint = File.Exists(verifiedPath)
            ? $"Snapshot '{name}' differs from its baseline. Compare with: diff -u \"{verifiedPath}\" \"{receivedPath}\" (accept by moving the received file over the verified one)."
            : $"Snapshot '{name}' has no baseline. Review \"{receivedPath}\" and rename it to \"{Path.GetFileName(verifiedPath)}\" to accept it.";
        Assert.Fail(hint + Environment.NewLine + FirstDifference(File.Exists(verifiedPath) ? Normalize(File.ReadAllText(verifiedPath)) : string.Empty, normalizedActual));
    }

    private static string Normalize(string text) => text.Replace("\r\n", "\n", StringComparison.Ordinal).TrimStart('\uFEFF');

    private static string FirstDifference(string expected, string actual)
    {
        var expectedLines = expected.Split('\n');
        var actualLines = actual.Split('\n');
        for (var i = 0; i < Math.Max(expectedLines.Length, actualLines.Length); i++)
        {
            var e = i < expectedLines.Length ? expectedLines[i] : "<end of file>";
            var a = i < actualLines.Length ? actualLines[i] : "<end of file>";
            if (e != a)
            {
                return $"First difference at line {i + 1}:{Environment.NewLine}- {e}{Environment.NewLine}+ {a}";
            }
        }

        return string.Empty;
    }
}
