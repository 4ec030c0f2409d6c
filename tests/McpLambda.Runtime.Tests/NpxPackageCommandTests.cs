using McpLambda.Runtime.Bridge;
using McpLambda.Tests;

namespace McpLambda.Runtime.Tests;

/// <summary>An npx server whose package is installed beside the function starts with node directly; anything else stays with npx.</summary>
public sealed class NpxPackageCommandTests
{
    private static readonly string FunctionDirectory = Path.Combine(TestRepository.RootDirectory, "samples", "EverythingFunction");

    [Theory]
    [InlineData("npx", "--offline", "@modelcontextprotocol/server-everything")]
    [InlineData("npx", "-y", "@modelcontextprotocol/server-everything@2026.8.31", "stdio", "--flag")]
    [InlineData("/usr/bin/npx", "@modelcontextprotocol/server-everything")]
    public void The_installed_package_runs_its_bin_script_with_node_and_keeps_the_server_arguments(string command, params string[] arguments)
    {
        var resolved = NpxPackageCommand.Resolve(command, arguments, FunctionDirectory);

        Assert.NotNull(resolved);
        Assert.Equal("node", resolved.Value.Command);
        Assert.Equal(Path.GetFullPath(TestRepository.EverythingServerEntryPoint), resolved.Value.Arguments[0]);
        Assert.Equal(arguments.SkipWhile(a => !a.StartsWith("@modelcontextprotocol/", StringComparison.Ordinal)).Skip(1), resolved.Value.Arguments.Skip(1));
    }

    [Theory]
    [InlineData("npx", "-p", "@modelcontextprotocol/server-everything", "mcp-server-everything")]
    [InlineData("npx", "--offline", "@modelcontextprotocol/server-not-installed")]
    [InlineData("npx", "--offline")]
    [InlineData("uvx", "mcp-server-time")]
    [InlineData("node", "server.js")]
    public void Anything_else_stays_as_it_is(string command, params string[] arguments)
    {
        Assert.Null(NpxPackageCommand.Resolve(command, arguments, FunctionDirectory));
    }
}
