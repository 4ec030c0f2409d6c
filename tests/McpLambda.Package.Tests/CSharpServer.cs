
namespace McpLambda.Package.Tests;

/// <summary>
/// The test's own stdio MCP server in C# (the MCP C# SDK), published as a user would for Lambda: self-contained for
/// linux-x64 into a function's <c>server</c> folder, since no runtime McpLambda hosts has dotnet.
/// </summary>
internal static class CSharpServer
{
    public static async Task PublishIntoAsync(UserWorkspace user, string project)
    {
        var source = Path.Combine(user.ProjectsDirectory, "EchoServerSource");
        Directory.CreateDirectory(source);
        foreach (var file in Directory.EnumerateFiles(Path.Combine(AppContext.BaseDirectory, "Servers", "EchoServer")))
        {
            File.Copy(file, Path.Combine(source, Path.GetFileName(file)), overwrite: true);
        }

        var (published, log) = await user.DotnetAsync(source,
            "publish", "-c", "Release", "-r", "linux-x64", "--self-contained", "-o", Path.Combine(project, "server"));
        Assert.True(published == 0, log);
    }
}
