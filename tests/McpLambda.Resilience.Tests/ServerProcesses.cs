namespace McpLambda.Resilience.Tests;

/// <summary>Waiting for what a server process does in the background: its exit, or any condition to come true.</summary>
internal static class ServerProcesses
{
    /// <summary>Whether the process <paramref name="pid"/> has ended (or never was).</summary>
    public static bool HasExited(int pid)
    {
        try
        {
            using var process = System.Diagnostics.Process.GetProcessById(pid);
            return process.HasExited;
        }
        catch (ArgumentException)
        {
            return true;
        }
    }

    /// <summary>Waits until <paramref name="condition"/> holds, failing the test after 10 s.</summary>
    public static async Task WaitUntilAsync(Func<bool> condition)
    {
        for (var waited = 0; !condition(); waited += 50)
        {
            Assert.True(waited < 10_000, "the condition did not hold within 10 s");
            await Task.Delay(50);
        }
    }
}
