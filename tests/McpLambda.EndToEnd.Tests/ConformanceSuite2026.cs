using System.Reflection;
using System.Security.Cryptography;
using System.Text;
using McpLambda.Tests;

namespace McpLambda.EndToEnd.Tests;

/// <summary>
/// The official MCP conformance suite at its newest (0.2.0-alpha.11, which is not on npm), from the fixture beside the
/// repository (<c>../shared/fixtures/mcp-conformance-2026</c>), installed once by its <c>build.sh</c> into this
/// project's <c>obj</c> folder and reused while the fixture stays the same. Absent fixture: <see cref="SkipReason"/>.
/// </summary>
public sealed class ConformanceSuite2026
{
    private static readonly string ProjectDirectory = typeof(ConformanceSuite2026).Assembly
        .GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "TestProjectDirectory").Value!;

    private static readonly string FixtureDirectory = Path.GetFullPath(Path.Combine(TestRepository.RootDirectory, "..", "shared", "fixtures", "mcp-conformance-2026"));

    private readonly Lazy<Task<string>> _install = new(InstallAsync);

    /// <summary>Why the suite cannot run here, or null when it can.</summary>
    public string? SkipReason { get; } = Directory.Exists(FixtureDirectory) ? null : $"the 2026 conformance fixture is absent ({FixtureDirectory})";

    /// <summary>The installed suite's directory: <c>conformance</c> (the CLI) and <c>suite/requirements/*.yaml</c>.</summary>
    public Task<string> DirectoryAsync() => _install.Value;

    /// <summary>The server scenarios a revision requires, as its frozen requirements file lists them.</summary>
    public static IReadOnlyList<string> RequiredServerScenarios(string installed, string revision)
    {
        var scenarios = new List<string>();
        var inServer = false;
        foreach (var line in File.ReadLines(Path.Combine(installed, "suite", "requirements", $"{revision}.yaml")))
        {
            if (!line.StartsWith(' ') && line.EndsWith(':'))
            {
                inServer = line == "server:";
            }
            else if (inServer && line.StartsWith("  - ", StringComparison.Ordinal))
            {
                scenarios.Add(line[4..].Trim());
            }
        }

        return scenarios;
    }

    private static async Task<string> InstallAsync()
    {
        var directory = Path.Combine(ProjectDirectory, "obj", "mcp-conformance-2026", FixtureStamp());
        var complete = Path.Combine(directory, ".installed");
        Directory.CreateDirectory(Path.GetDirectoryName(directory)!);

        // Another test process may be installing the same fixture: one installs, the others wait and reuse it.
        using var installing = await LockAsync(directory + ".lock");
        if (!File.Exists(complete))
        {
            if (Directory.Exists(directory))
            {
                Directory.Delete(directory, recursive: true);
            }

            var (exitCode, output) = await CommandLine.RunAsync("bash", FixtureDirectory, [Path.Combine(FixtureDirectory, "build.sh"), directory], timeout: TimeSpan.FromMinutes(10));
            if (exitCode != 0 || !File.Exists(Path.Combine(directory, "conformance")))
            {
                throw new InvalidOperationException($"installing the 2026 conformance fixture failed ({exitCode}):\n{output}");
            }

            await File.WriteAllTextAsync(complete, DateTimeOffset.UtcNow.ToString("O"));
        }

        return directory;
    }

    /// <summary>A digest of the fixture's build script and lock files: a changed fixture gets a fresh install.</summary>
    private static string FixtureStamp()
    {
        var files = new[] { "build.sh", "suite/package-lock.json", "everything-server/package-lock.json", "../mcp-conformance-server/package-lock.json" }
            .Select(file => Path.Combine(FixtureDirectory, file))
            .Where(File.Exists)
            .Select(file => $"{file}\n{File.ReadAllText(file)}");
        return Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(string.Join('\n', files))))[..16].ToLowerInvariant();
    }

    private static async Task<FileStream> LockAsync(string path)
    {
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException) when (attempt < 1200)
            {
                await Task.Delay(500);
            }
        }
    }
}
