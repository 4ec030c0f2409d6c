using System.Text.Json;
using McpLambda.Runtime.Hosting;

namespace McpLambda.Runtime.Bridge;

/// <summary>
/// <c>npx [--offline|-y] &lt;package&gt;[@version] [args]</c> runs a package's bin script, but first spends hundreds of
/// milliseconds of its own (it starts npm, resolves the package, checks the cache). When the package is installed beside
/// the function, which is the deployment layout, the same script is started as <c>node &lt;bin script&gt; [args]</c>.
/// Anything else (another flag, a package not installed, a bin entry it cannot choose) stays with npx.
/// </summary>
internal static class NpxPackageCommand
{
    private static readonly HashSet<string> HarmlessFlags = ["--offline", "--prefer-offline", "-y", "--yes", "-q", "--quiet", "--no-install"];

    /// <summary>The <c>node</c> command that runs what <paramref name="command"/> would, or null to keep it.</summary>
    /// <param name="command">The server's command.</param>
    /// <param name="arguments">Its arguments.</param>
    /// <param name="directory">Where the server runs, whose <c>node_modules</c> npx would use.</param>
    public static (string Command, IReadOnlyList<string> Arguments)? Resolve(string command, IReadOnlyList<string> arguments, string directory)
    {
        if (Path.GetFileName(command) != "npx")
        {
            return null;
        }

        var index = 0;
        while (index < arguments.Count && HarmlessFlags.Contains(arguments[index]))
        {
            index++;
        }

        if (index == arguments.Count || arguments[index].StartsWith('-'))
        {
            return null;
        }

        var package = PackageName(arguments[index]);
        var script = BinScript(Path.Combine(directory, "node_modules", package), package);
        if (script is null)
        {
            return null;
        }

        Log.Info($"'npx {package}' runs as 'node {script}': the package is installed beside the function (MCPLAMBDA_RESOLVE_NPX=false keeps npx)");
        return ("node", [script, .. arguments.Skip(index + 1)]);
    }

    /// <summary><c>@scope/name@1.2.3</c> → <c>@scope/name</c>.</summary>
    private static string PackageName(string spec)
    {
        var at = spec.IndexOf('@', spec.StartsWith('@') ? 1 : 0);
        return at < 0 ? spec : spec[..at];
    }

    /// <summary>The package's bin script: its only one, or the one named like the package; null when there is none to choose.</summary>
    private static string? BinScript(string packageDirectory, string package)
    {
        var manifest = Path.Combine(packageDirectory, "package.json");
        if (!File.Exists(manifest))
        {
            return null;
        }

        try
        {
            using var document = JsonDocument.Parse(File.ReadAllBytes(manifest));
            if (!document.RootElement.TryGetProperty("bin", out var bin))
            {
                return null;
            }

            var relative = bin.ValueKind switch
            {
                JsonValueKind.String => bin.GetString(),
                JsonValueKind.Object => BinEntry(bin, package),
                _ => null,
            };
            var script = relative is null ? null : Path.GetFullPath(Path.Combine(packageDirectory, relative));
            return script is not null && File.Exists(script) ? script : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string? BinEntry(JsonElement bin, string package)
    {
        var entries = bin.EnumerateObject().Where(e => e.Value.ValueKind == JsonValueKind.String).ToList();
        var unscoped = package[(package.LastIndexOf('/') + 1)..];
        if (entries.Count == 1)
        {
            return entries[0].Value.GetString();
        }

        foreach (var entry in entries)
        {
            if (entry.Name == unscoped)
            {
                return entry.Value.GetString();
            }
        }

        return null;
    }
}
