using System.Globalization;

namespace McpLambda.Bench;

/// <summary>Reads Linux <c>/proc</c>: resident memory of a process and its descendants, and the machine.</summary>
internal static class ProcFs
{
    /// <summary>VmRSS of <paramref name="pid"/> in bytes (that process alone, not its children), or null once it is gone.</summary>
    public static long? ResidentBytes(int pid) => StatusField(pid, "VmRSS:");

    /// <summary>VmHWM (peak resident) of <paramref name="pid"/> in bytes.</summary>
    public static long? PeakResidentBytes(int pid) => StatusField(pid, "VmHWM:");

    /// <summary>All descendants of <paramref name="pid"/> (children, grandchildren, …).</summary>
    public static List<int> Descendants(int pid)
    {
        var found = new List<int>();
        var queue = new Queue<int>([pid]);
        while (queue.TryDequeue(out var current))
        {
            foreach (var task in SafeDirectories($"/proc/{current}/task"))
            {
                var text = SafeRead(Path.Combine(task, "children"));
                foreach (var part in text.Split(' ', StringSplitOptions.RemoveEmptyEntries))
                {
                    if (int.TryParse(part, NumberStyles.Integer, CultureInfo.InvariantCulture, out var child) && !found.Contains(child))
                    {
                        found.Add(child);
                        queue.Enqueue(child);
                    }
                }
            }
        }

        return found;
    }

    /// <summary>The process name (<c>comm</c>) of <paramref name="pid"/>.</summary>
    /// <summary>User plus system CPU time of <paramref name="pid"/> so far (/proc/pid/stat, 100 ticks a second), or 0 once it is gone.</summary>
    public static double CpuSeconds(int pid)
    {
        var stat = SafeRead($"/proc/{pid}/stat");
        var fields = stat.Length == 0 ? [] : stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return fields.Length > 12
            ? (long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture)) / 100.0
            : 0;
    }

    public static string Name(int pid) => SafeRead($"/proc/{pid}/comm").Trim();

    public static string CpuModel()
    {
        foreach (var line in SafeRead("/proc/cpuinfo").Split('\n'))
        {
            if (line.StartsWith("model name", StringComparison.Ordinal))
            {
                return line[(line.IndexOf(':', StringComparison.Ordinal) + 1)..].Trim();
            }
        }

        return "unknown";
    }

    public static string MemoryTotal()
    {
        foreach (var line in SafeRead("/proc/meminfo").Split('\n'))
        {
            if (line.StartsWith("MemTotal:", StringComparison.Ordinal))
            {
                var kb = long.Parse(line["MemTotal:".Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
                return (kb / 1024.0 / 1024.0).ToString("0.0", CultureInfo.InvariantCulture) + " GiB";
            }
        }

        return "unknown";
    }

    public static string Mb(long bytes) => (bytes / 1024.0 / 1024.0).ToString("0.0", CultureInfo.InvariantCulture) + " MB";

    private static long? StatusField(int pid, string field)
    {
        foreach (var line in SafeRead($"/proc/{pid}/status").Split('\n'))
        {
            if (line.StartsWith(field, StringComparison.Ordinal))
            {
                var kb = long.Parse(line[field.Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
                return kb * 1024;
            }
        }

        return null;
    }

    private static string SafeRead(string path)
    {
        try
        {
            return File.ReadAllText(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return "";
        }
    }

    private static string[] SafeDirectories(string path)
    {
        try
        {
            return Directory.GetDirectories(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return [];
        }
    }
}
