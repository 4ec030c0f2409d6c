using System.Collections.Concurrent;
using McpLambda.Tests;

namespace McpLambda.EndToEnd.Tests;

/// <summary>
/// The deployment files <c>dotnet new mcp-lambda</c> makes from this tree's template source (installed from its folder
/// in a home of its own: no packing), so a test can put the function behind the front door <c>template.yaml</c> describes.
/// Each set of options is made once per test run.
/// </summary>
internal static class TemplateProject
{
    private static readonly string Root = Directory.CreateTempSubdirectory("mcplambda-template-").FullName;
    private static readonly ConcurrentDictionary<string, Lazy<Task<string>>> Made = new();
    private static int _made;
    private static readonly Lazy<Task> Installed = new(() => DotnetNewAsync("install", Path.Combine(TestRepository.RootDirectory, "src", "McpLambda.Templates", "content", "mcp-lambda")));

    /// <summary>The path of the <c>template.yaml</c> made with <paramref name="options"/> (e.g. <c>--transport ApiGateway</c>).</summary>
    public static Task<string> TemplateYamlAsync(params string[] options)
        => Made.GetOrAdd(string.Join(" ", options), _ => new Lazy<Task<string>>(() => MakeAsync(options))).Value;

    static TemplateProject() => AppDomain.CurrentDomain.ProcessExit += (_, _) => Directory.Delete(Root, recursive: true);

    private static async Task<string> MakeAsync(string[] options)
    {
        await Installed.Value;
        var directory = Path.Combine(Root, "p" + Interlocked.Increment(ref _made));
        await DotnetNewAsync(["mcp-lambda", "-n", "TemplateProject", "-o", directory, "--no-npm-install", .. options]);
        return Path.Combine(directory, "template.yaml");
    }

    private static async Task DotnetNewAsync(params string[] args)
    {
        var (exitCode, output) = await CommandLine.RunAsync("dotnet", Root, ["new", .. args], new Dictionary<string, string>
        {
            ["DOTNET_CLI_HOME"] = Path.Combine(Root, "home"),
            ["DOTNET_NOLOGO"] = "1",
            ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1",
        }, TimeSpan.FromMinutes(2));
        if (exitCode != 0)
        {
            throw new InvalidOperationException($"dotnet new {string.Join(' ', args)} exited with {exitCode}: {output}");
        }
    }
}
