using McpLambda.Runtime.Bridge;
using McpLambda.Runtime.Configuration;
using McpLambda.Runtime.Tests.Support;
using McpLambda.Tests;

namespace McpLambda.Runtime.Tests.Bridge;

/// <summary>An npx server whose package is installed beside the function starts with node directly; anything else stays with npx.</summary>
public sealed class NpxPackageCommandTests : IDisposable
{
    private static readonly string FunctionDirectory = Path.Combine(TestRepository.RootDirectory, "samples", "EverythingFunction");

    private readonly FakeFunctionDirectory _function = new();

    public void Dispose() => _function.Dispose();

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

    [Theory]
    [InlineData("fake-server", "1.4.2")]
    [InlineData("fake-server@1.4.2", "1.4.2")]
    [InlineData("fake-server@=1.4.2", "1.4.2")]
    [InlineData("fake-server@v1.4.2", "1.4.2")]
    [InlineData("fake-server@2", "2.7.1")]
    [InlineData("fake-server@2.x", "2.0.0")]
    [InlineData("fake-server@2.7", "2.7.9")]
    [InlineData("fake-server@2.7.x", "2.7.9")]
    [InlineData("fake-server@2.*.*", "2.99.0")]
    [InlineData("fake-server@*", "0.0.1")]
    [InlineData("fake-server@x", "10.0.0")]
    [InlineData("fake-server@^1.2", "1.9.0")]
    [InlineData("fake-server@^1.2.3", "1.2.3")]
    [InlineData("fake-server@^0.2.3", "0.2.9")]
    [InlineData("fake-server@^0.0.3", "0.0.3")]
    [InlineData("fake-server@^0.x", "0.9.0")]
    [InlineData("fake-server@~1.2.3", "1.2.9")]
    [InlineData("fake-server@~1.2", "1.2.0")]
    [InlineData("fake-server@~1", "1.9.9")]
    [InlineData("fake-server@>=1.2.0", "3.0.0")]
    [InlineData("fake-server@>=1.2", "1.2.0")]
    [InlineData("fake-server@1.0.0-beta.1", "1.0.0-beta.1")]
    [InlineData("fake-server@^1.0.0-beta.2", "1.0.0-beta.10")]
    [InlineData("fake-server@^1.0.0-beta.2", "1.0.1")]
    [InlineData("fake-server@1.4.2", "1.4.2+build.7")]
    [InlineData("@scope/fake-server@1.0.0", "1.0.0")]
    [InlineData("@scope/fake-server@^1", "1.3.0")]
    public void A_version_the_installed_package_satisfies_runs_it_with_node(string spec, string installed)
    {
        var package = spec.StartsWith("@scope/", StringComparison.Ordinal) ? "@scope/fake-server" : "fake-server";
        var script = _function.Write(Path.Combine("node_modules", package, "cli.js"));
        _function.Install(package, installed, "cli.js");

        var resolved = _function.Resolve("-y", spec, "stdio");

        Assert.NotNull(resolved);
        Assert.Equal("node", resolved.Value.Command);
        Assert.Equal([script, "stdio"], resolved.Value.Arguments);
    }

    [Theory]
    [InlineData("fake-server@1.4.3", "1.4.2")]
    [InlineData("fake-server@2", "1.9.9")]
    [InlineData("fake-server@2", "3.0.0")]
    [InlineData("fake-server@2.7", "2.8.0")]
    [InlineData("fake-server@2.7.x", "2.6.9")]
    [InlineData("fake-server@^1.2", "1.1.9")]
    [InlineData("fake-server@^1.2", "2.0.0")]
    [InlineData("fake-server@^0.2.3", "0.3.0")]
    [InlineData("fake-server@^0.0.3", "0.0.4")]
    [InlineData("fake-server@~1.2.3", "1.3.0")]
    [InlineData("fake-server@~1.2.3", "1.2.2")]
    [InlineData("fake-server@>=1.2.0", "1.1.9")]
    [InlineData("fake-server@*", "1.0.0-rc.1")]
    [InlineData("fake-server@^1.0.0", "1.1.0-beta.1")]
    [InlineData("fake-server@1.0.0-beta.2", "1.0.0-beta.10")]
    [InlineData("fake-server@^1.0.0-beta.10", "1.0.0-beta.2")]
    [InlineData("fake-server@^1.0.0-beta", "1.0.0-alpha")]
    [InlineData("@scope/fake-server@1.0.0", "1.0.1")]
    [InlineData("fake-server@1.0.0", "banana")]
    [InlineData("fake-server@1.0.0", null)]
    public void A_version_the_installed_package_does_not_satisfy_stays_with_npx(string spec, string? installed)
    {
        var package = spec.StartsWith("@scope/", StringComparison.Ordinal) ? "@scope/fake-server" : "fake-server";
        _function.Write(Path.Combine("node_modules", package, "cli.js"));
        _function.Install(package, installed, "cli.js");

        Assert.Null(_function.Resolve("-y", spec));
        Assert.Contains($"'{spec[(spec.LastIndexOf('@') + 1)..]}'", _function.StaysWithNpxBecause());
    }

    [Theory]
    [InlineData("fake-server@latest")]
    [InlineData("fake-server@next")]
    [InlineData("fake-server@")]
    [InlineData("fake-server@>1.0.0")]
    [InlineData("fake-server@<=9.0.0")]
    [InlineData("fake-server@1.0.0 - 2.0.0")]
    [InlineData("fake-server@^1 || ^2")]
    [InlineData("fake-server@>=1.0.0 <9.0.0")]
    [InlineData("fake-server@npm:other@1.0.0")]
    [InlineData("fake-server@1.0.0.0")]
    [InlineData("fake-server@99999999999999999999")]
    public void A_version_it_cannot_decide_such_as_a_dist_tag_stays_with_npx(string spec)
    {
        _function.Write(Path.Combine("node_modules", "fake-server", "cli.js"));
        _function.Install("fake-server", "1.0.0", "cli.js");

        Assert.Null(_function.Resolve(spec));
        Assert.Contains("installed version 1.0.0 may not be what npx would run", _function.StaysWithNpxBecause());
    }

    [Fact]
    public void A_version_that_stays_with_npx_reaches_npx_as_written()
    {
        _function.Write(Path.Combine("node_modules", "fake-server", "cli.js"));
        _function.Install("fake-server", "1.9.9", "cli.js");

        var start = StdioProcessSettings.Create(new StdioServerOptions("npx", ["-y", "fake-server@2", "stdio"]) { FunctionDirectory = _function.Path }, _ => null);

        Assert.Equal("npx", Path.GetFileName(start.FileName));
        Assert.Equal(["-y", "fake-server@2", "stdio"], start.ArgumentList);
    }

    [Fact]
    public void A_bin_that_climbs_out_of_the_package_with_dot_dot_stays_with_npx()
    {
        _function.Write(Path.Combine("node_modules", "other", "cli.js"));
        _function.Install("fake-server", "1.0.0", "../other/cli.js");

        Assert.Null(_function.Resolve("fake-server"));
        Assert.Contains("lies outside the package", _function.StaysWithNpxBecause());
    }

    [Fact]
    public void A_bin_entry_of_a_map_that_climbs_out_of_the_package_stays_with_npx()
    {
        _function.Write(Path.Combine("node_modules", "fake-server", "cli.js"));
        _function.Write("server.js");
        _function.Install("fake-server", "1.0.0", new Dictionary<string, string> { ["fake-server"] = "../../server.js", ["other"] = "cli.js" });

        Assert.Null(_function.Resolve("fake-server"));
        Assert.Contains("lies outside the package", _function.StaysWithNpxBecause());
    }

    [Fact]
    public void A_bin_with_an_absolute_path_stays_with_npx()
    {
        var outside = _function.Write(Path.Combine("outside", "cli.js"));
        _function.Install("fake-server", "1.0.0", outside);

        Assert.Null(_function.Resolve("fake-server"));
        Assert.Contains("lies outside the package", _function.StaysWithNpxBecause());
    }

    [Fact]
    public void A_bin_that_is_a_symbolic_link_out_of_the_package_stays_with_npx()
    {
        var outside = _function.Write(Path.Combine("outside", "cli.js"));
        _function.Link(Path.Combine("node_modules", "fake-server", "cli.js"), outside);
        _function.Install("fake-server", "1.0.0", "cli.js");

        Assert.Null(_function.Resolve("fake-server"));
        Assert.Contains("lies outside the package", _function.StaysWithNpxBecause());
    }

    [Fact]
    public void A_bin_under_a_folder_that_is_a_symbolic_link_out_of_the_package_stays_with_npx()
    {
        _function.Write(Path.Combine("outside", "cli.js"));
        _function.Link(Path.Combine("node_modules", "fake-server", "dist"), Path.Combine("..", "..", "outside"));
        _function.Install("fake-server", "1.0.0", "dist/cli.js");

        Assert.Null(_function.Resolve("fake-server"));
        Assert.Contains("lies outside the package", _function.StaysWithNpxBecause());
    }

    [Fact]
    public void Symbolic_links_that_stay_inside_the_package_are_followed()
    {
        // The package directory itself may be a link (pnpm, workspaces): its real path is what the bin must stay in.
        _function.Write(Path.Combine("store", "fake-server", "dist", "index.js"));
        _function.Link(Path.Combine("store", "fake-server", "cli.js"), Path.Combine("dist", "index.js"));
        _function.Write(Path.Combine("store", "fake-server", "package.json"), """{ "name": "fake-server", "version": "1.0.0", "bin": "cli.js" }""");
        _function.Link(Path.Combine("node_modules", "fake-server"), Path.Combine("..", "store", "fake-server"));

        var resolved = _function.Resolve("fake-server");

        Assert.NotNull(resolved);
        Assert.Equal(Path.Combine(_function.PackageDirectory("fake-server"), "cli.js"), resolved.Value.Arguments[0]);
    }

    [Theory]
    [InlineData("../outside")]
    [InlineData("./outside")]
    [InlineData("fake-server/../../outside")]
    [InlineData("github:someone/outside")]
    public void A_package_spec_that_names_no_package_in_node_modules_stays_with_npx(string spec)
    {
        _function.Write(Path.Combine("outside", "cli.js"));
        _function.Write(Path.Combine("outside", "package.json"), """{ "name": "outside", "version": "1.0.0", "bin": "cli.js" }""");
        _function.Install("fake-server", "1.0.0", "cli.js");

        Assert.Null(_function.Resolve(spec));
    }

    [Fact]
    public void A_package_json_that_cannot_be_read_stays_with_npx()
    {
        _function.Write(Path.Combine("node_modules", "fake-server", "cli.js"));
        using var socket = _function.Socket(Path.Combine("node_modules", "fake-server", "package.json"));

        Assert.Null(_function.Resolve("fake-server"));
        Assert.Contains("cannot be read", _function.StaysWithNpxBecause());
    }

    [Theory]
    [InlineData("{ \"version\": \"1.0.0\", \"bin\": ", "cannot be read")]
    [InlineData("[]", "not a JSON object")]
    [InlineData("{ \"version\": \"1.0.0\" }", "no bin script")]
    [InlineData("{ \"version\": \"1.0.0\", \"bin\": 7 }", "no bin script")]
    [InlineData("{ \"version\": \"1.0.0\", \"bin\": [\"cli.js\"] }", "no bin script")]
    [InlineData("{ \"version\": \"1.0.0\", \"bin\": { \"fake-server\": 7 } }", "no bin script")]
    [InlineData("{ \"version\": \"1.0.0\", \"bin\": { \"a\": \"cli.js\", \"b\": \"cli.js\" } }", "no bin script")]
    [InlineData("{ \"version\": \"1.0.0\", \"bin\": \"\" }", "no bin script")]
    [InlineData("{ \"version\": \"1.0.0\", \"bin\": \"missing.js\" }", "does not exist")]
    [InlineData("{ \"version\": \"1.0.0\", \"bin\": \"cli.js\\u0000\" }", "cannot be read")]
    [InlineData("{ \"version\": 1, \"bin\": \"cli.js\" }", "no semantic version")]
    public void A_manifest_it_cannot_use_stays_with_npx_and_says_why(string manifest, string why)
    {
        _function.Write(Path.Combine("node_modules", "fake-server", "cli.js"));
        _function.InstallManifest("fake-server", manifest);

        Assert.Null(_function.Resolve("fake-server@1"));
        Assert.Contains(why, _function.StaysWithNpxBecause());
    }

    [Theory]
    [InlineData(null, true)]
    [InlineData("", true)]
    [InlineData("1", true)]
    [InlineData("true", true)]
    [InlineData("0", false)]
    [InlineData("false", false)]
    [InlineData(" FALSE ", false)]
    public void The_switch_takes_the_values_of_the_other_boolean_switches(string? value, bool expected)
    {
        var settings = McpLambdaSettings.Read(name => name == "MCPLAMBDA_RESOLVE_NPX" ? value : null);

        Assert.Equal(expected, settings.ResolveNpx);
        Assert.Equal(expected, settings.ApplyTo(new StdioServerOptions("npx", ["fake-server"])).ResolveNpx);
    }

    [Theory]
    [InlineData("no")]
    [InlineData("off")]
    [InlineData("sometimes")]
    public void Any_other_switch_value_is_refused_with_the_variable_named(string value)
    {
        var error = Assert.Throws<ArgumentException>(() => McpLambdaSettings.Read(name => name == "MCPLAMBDA_RESOLVE_NPX" ? value : null));

        Assert.Contains("MCPLAMBDA_RESOLVE_NPX", error.Message);
    }
}
