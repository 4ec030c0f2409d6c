using System.Net.Sockets;
using System.Text.Json;
using McpLambda.Runtime.Bridge;

namespace McpLambda.Runtime.Tests.Support;

/// <summary>A function directory in a temporary folder, with packages written into its <c>node_modules</c> as a test needs them.</summary>
internal sealed class FakeFunctionDirectory : IDisposable
{
    public string Path { get; } = Directory.CreateTempSubdirectory("mcplambda-npx-").FullName;

    /// <summary>Writes <c>node_modules/&lt;package&gt;/package.json</c> with <paramref name="version"/> and <paramref name="bin"/> (left out when null).</summary>
    /// <returns>The package's directory.</returns>
    public string Install(string package, string? version, object? bin)
    {
        var manifest = new Dictionary<string, object> { ["name"] = package };
        if (version is not null)
        {
            manifest["version"] = version;
        }

        if (bin is not null)
        {
            manifest["bin"] = bin;
        }

        return InstallManifest(package, JsonSerializer.Serialize(manifest));
    }

    /// <summary>Writes <c>node_modules/&lt;package&gt;/package.json</c> as it is given.</summary>
    /// <returns>The package's directory.</returns>
    public string InstallManifest(string package, string manifest)
    {
        var directory = PackageDirectory(package);
        Write(System.IO.Path.Combine(directory, "package.json"), manifest);
        return directory;
    }

    public string PackageDirectory(string package) => System.IO.Path.Combine(Path, "node_modules", package);

    /// <summary>Writes a file, relative to the function directory unless rooted.</summary>
    /// <returns>Its full path.</returns>
    public string Write(string path, string text = "console.log('server');")
    {
        var full = System.IO.Path.Combine(Path, path);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(full)!);
        File.WriteAllText(full, text);
        return full;
    }

    /// <summary>Makes <paramref name="path"/> (relative to the function directory unless rooted) a symbolic link to <paramref name="target"/>.</summary>
    public void Link(string path, string target)
    {
        var full = System.IO.Path.Combine(Path, path);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(full)!);
        File.CreateSymbolicLink(full, target);
    }

    /// <summary>Puts a Unix socket where <paramref name="path"/> is: it exists, but opening it to read fails, even for root.</summary>
    public Socket Socket(string path)
    {
        var full = System.IO.Path.Combine(Path, path);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(full)!);
        var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        socket.Bind(new UnixDomainSocketEndPoint(full));
        return socket;
    }

    /// <summary>The lines <see cref="Resolve"/> logged.</summary>
    public List<string> LogLines { get; } = [];

    /// <summary>What <c>npx &lt;arguments&gt;</c> resolves to in this directory.</summary>
    public (string Command, IReadOnlyList<string> Arguments)? Resolve(params string[] arguments)
        => NpxPackageCommand.Resolve("npx", arguments, Path, LogLines.Add);

    /// <summary>The one line logged, which says the command stays with npx and why.</summary>
    public string StaysWithNpxBecause() => Assert.Single(LogLines, line => line.Contains("stays with npx: ", StringComparison.Ordinal));

    public void Dispose() => Directory.Delete(Path, recursive: true);
}
