using System.Diagnostics;

namespace McpLambda.Tests;

/// <summary>Runs a command to its end and returns its exit code with everything it wrote (shared by the test projects).</summary>
internal static class CommandLine
{
    public static async Task<(int ExitCode, string Output)> RunAsync(
        string command, string directory, IEnumerable<string> args, IDictionary<string, string>? environment = null, TimeSpan? timeout = null)
    {
        var (exitCode, standardOutput, standardError) = await RunApartAsync(command, directory, args, environment, timeout);
        return (exitCode, standardOutput + standardError);
    }

    /// <summary>The same, with what the command wrote to its standard output and its standard error apart.</summary>
    public static async Task<(int ExitCode, string StandardOutput, string StandardError)> RunApartAsync(
        string command, string directory, IEnumerable<string> args, IDictionary<string, string>? environment = null, TimeSpan? timeout = null)
    {
        var info = new ProcessStartInfo(command) { WorkingDirectory = directory, RedirectStandardOutput = true, RedirectStandardError = true };
        args.ToList().ForEach(info.ArgumentList.Add);
        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            info.Environment[key] = value;
        }

        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        try
        {
            await process.WaitForExitAsync().WaitAsync(timeout ?? TimeSpan.FromMinutes(8));
        }
        catch (TimeoutException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"'{command} {string.Join(' ', args)}' in {directory} did not finish in time");
        }

        return (process.ExitCode, await stdout, await stderr);
    }
}
