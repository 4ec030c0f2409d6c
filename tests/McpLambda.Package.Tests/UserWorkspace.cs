using System.Globalization;
using McpLambda.Tests;

namespace McpLambda.Package.Tests;

/// <summary>
/// A new user's machine, outside this repository: the packages packed from this tree into a temporary feed (with a
/// version of their own, so no cached copy can stand in), a folder with its own NuGet.config (that feed and the normal
/// registry) and its own DOTNET_CLI_HOME, and the template installed there.
/// </summary>
public sealed class UserWorkspace : IAsyncLifetime
{
    private readonly string _root = Directory.CreateTempSubdirectory("mcplambda-user-").FullName;

    public string Version { get; } = "0.1.0-ci." + DateTime.UtcNow.ToString("yyyyMMddHHmmss", CultureInfo.InvariantCulture) + Environment.ProcessId.ToString(CultureInfo.InvariantCulture);

    /// <summary>Where the user's projects are created.</summary>
    public string ProjectsDirectory => Path.Combine(_root, "projects");

    private string Feed => Path.Combine(_root, "feed");

    private static string GlobalPackages => Environment.GetEnvironmentVariable("NUGET_PACKAGES") is { Length: > 0 } packages
        ? packages
        : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");

    /// <summary>The environment of every command the user runs.</summary>
    public IDictionary<string, string> UserEnvironment => new Dictionary<string, string>
    {
        ["DOTNET_CLI_HOME"] = Path.Combine(_root, "home"),
        ["DOTNET_NOLOGO"] = "1",
        ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1",
        ["DOTNET_SKIP_FIRST_TIME_EXPERIENCE"] = "1",
        // The machine's package cache, so that the runtime packs are not downloaded again; McpLambda's own version is new.
        ["NUGET_PACKAGES"] = GlobalPackages,
        ["MSBUILDDISABLENODEREUSE"] = "1",
        // npm (the template's npm install, the build's npm ci) takes what the machine's cache has before asking the registry.
        ["npm_config_prefer_offline"] = "true",
    };

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(ProjectsDirectory);
        Directory.CreateDirectory(Path.Combine(_root, "home"));
        var (packed, packLog) = await CommandLine.RunAsync("dotnet", TestRepository.RootDirectory,
            ["pack", "McpLambda.Packages.slnf", "-c", "Release", "-o", Feed, "--version-suffix", Version["0.1.0-".Length..],
             "--artifacts-path", Path.Combine(_root, "artifacts"), "-nologo"]);
        Assert.True(packed == 0, packLog);
        Assert.DoesNotContain("warning", packLog, StringComparison.OrdinalIgnoreCase);

        await File.WriteAllTextAsync(Path.Combine(ProjectsDirectory, "NuGet.config"), $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                <clear />
                <add key="mcplambda" value="{Feed}" />
                <add key="nuget.org" value="https://api.nuget.org/v3/index.json" />
              </packageSources>
            </configuration>
            """);
        var (installed, installLog) = await DotnetAsync(ProjectsDirectory, "new", "install", Path.Combine(Feed, $"McpLambda.Templates.{Version}.nupkg"));
        Assert.True(installed == 0, installLog);
    }

    /// <summary>Runs <c>dotnet</c> as the user, in <paramref name="directory"/>.</summary>
    public Task<(int ExitCode, string Output)> DotnetAsync(string directory, params string[] args)
        => CommandLine.RunAsync("dotnet", directory, args, UserEnvironment);

    /// <summary>
    /// <c>dotnet new mcp-lambda -n <paramref name="name"/></c> with <paramref name="options"/>, which for an npx server
    /// runs <c>npm install</c> (unless <c>--no-npm-install</c>); returns the project directory.
    /// </summary>
    public async Task<string> NewFunctionAsync(string name, params string[] options)
    {
        var directory = Path.Combine(ProjectsDirectory, name);
        if (Directory.Exists(directory))
        {
            Directory.Delete(directory, recursive: true);
        }

        // dotnet new asks before it runs the npm install, and without a terminal it asks forever: the answer goes up front.
        var (created, log) = await DotnetAsync(ProjectsDirectory, ["new", "mcp-lambda", "-n", name, "--allow-scripts", "yes", .. options]);
        Assert.True(created == 0, log);
        return directory;
    }

    public async Task DisposeAsync()
    {
        await DotnetAsync(ProjectsDirectory, "new", "uninstall", "McpLambda.Templates");
        foreach (var package in new[] { "mcplambda", "mcplambda.client", "mcplambda.templates" })
        {
            var cached = Path.Combine(GlobalPackages, package, Version);
            if (Directory.Exists(cached))
            {
                Directory.Delete(cached, recursive: true);
            }
        }

        Directory.Delete(_root, recursive: true);
    }
}

[CollectionDefinition(Name)]
public sealed class UserWorkspaceCollection : ICollectionFixture<UserWorkspace>
{
    public const string Name = "A user's own projects";
}
