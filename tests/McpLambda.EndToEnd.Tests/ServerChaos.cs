using System.Diagnostics;

namespace McpLambda.EndToEnd.Tests;

/// <summary>
/// Kills the server processes of this test process (those whose command line names <paramref name="serverScript"/>, and
/// what they started) at random moments, 100–500 ms apart, so some kills land while the server restarts; and once
/// freezes the server (SIGSTOP) until the function finds it stuck and replaces it.
/// </summary>
internal sealed class ServerChaos(string serverScript)
{
    private static readonly TimeSpan FreezeAfter = TimeSpan.FromSeconds(2);

    public int Kills { get; private set; }

    public int KilledProcesses { get; private set; }

    public int Freezes { get; private set; }

    public async Task RunAsync(CancellationToken stop)
    {
        var clock = Stopwatch.StartNew();
        try
        {
            while (!stop.IsCancellationRequested)
            {
                await Task.Delay(Random.Shared.Next(100, 500), stop);
                if (Freezes == 0 && clock.Elapsed > FreezeAfter && Descendants() is { Count: > 0 } frozen)
                {
                    Freezes++;
                    frozen.ForEach(pid => Signal("STOP", pid));
                    // No kills while frozen: the function itself must find the server stuck and replace it.
                    await WaitUntilGoneAsync(frozen, stop);
                    continue;
                }

                KillServer();
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
        }
    }

    /// <summary>SIGKILL to every process under the function: the server, and whatever it started.</summary>
    public void KillServer()
    {
        var pids = Descendants();
        if (pids.Count == 0)
        {
            return;
        }

        Kills++;
        foreach (var pid in pids)
        {
            try
            {
                using var process = Process.GetProcessById(pid);
                process.Kill();
                KilledProcesses++;
            }
            catch (Exception ex) when (ex is ArgumentException or InvalidOperationException or System.ComponentModel.Win32Exception)
            {
                // It ended meanwhile.
            }
        }
    }

    private List<int> Descendants()
    {
        var found = new List<int>();
        var queue = new Queue<int>(Children(Environment.ProcessId).Where(IsServer));
        found.AddRange(queue);
        while (queue.TryDequeue(out var pid))
        {
            foreach (var child in Children(pid))
            {
                found.Add(child);
                queue.Enqueue(child);
            }
        }

        return found;
    }

    private bool IsServer(int pid)
    {
        try
        {
            return File.ReadAllText($"/proc/{pid}/cmdline").Contains(serverScript, StringComparison.Ordinal);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    private static IEnumerable<int> Children(int pid)
    {
        var children = new List<int>();
        try
        {
            foreach (var task in Directory.EnumerateDirectories($"/proc/{pid}/task"))
            {
                var text = File.ReadAllText(Path.Combine(task, "children"));
                children.AddRange(text.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(int.Parse));
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // The process ended meanwhile.
        }

        return children;
    }

    private static async Task WaitUntilGoneAsync(List<int> pids, CancellationToken stop)
    {
        var clock = Stopwatch.StartNew();
        while (pids.Any(pid => Directory.Exists($"/proc/{pid}")) && clock.Elapsed < TimeSpan.FromSeconds(15) && !stop.IsCancellationRequested)
        {
            await Task.Delay(50, CancellationToken.None);
        }

        // Whatever the function left behind is not left stopped.
        pids.ForEach(pid => Signal("CONT", pid));
    }

    private static void Signal(string signal, int pid)
    {
        try
        {
            using var kill = Process.Start(new ProcessStartInfo("kill", [$"-{signal}", pid.ToString()]) { RedirectStandardError = true })!;
            kill.WaitForExit();
        }
        catch (System.ComponentModel.Win32Exception)
        {
            // No kill command: the freeze does not happen, and the test says so.
        }
    }
}
