using System.Text.Json;
using System.Text.RegularExpressions;
using McpLambda.Runtime.Observability;

namespace McpLambda.Runtime.Bridge;

/// <summary>
/// <c>npx [--offline|-y] &lt;package&gt;[@version] [args]</c> runs a package's bin script, but first spends hundreds of
/// milliseconds of its own (it starts npm, resolves the package, checks the cache). When the package is installed beside
/// the function, which is the deployment layout, the same script is started as <c>node &lt;bin script&gt; [args]</c>.
/// It stays with npx, which then does what it always does, whenever the installed package may not be what npx would run:
/// another flag, a spec that is no registry package name, a version the installed one does not satisfy or that cannot
/// be decided here (a dist-tag), a bin script it cannot choose or that lies outside the package, a package.json it
/// cannot read. An installed package it does not use is logged with the reason.
/// </summary>
internal static partial class NpxPackageCommand
{
    private static readonly HashSet<string> HarmlessFlags = ["--offline", "--prefer-offline", "-y", "--yes", "-q", "--quiet", "--no-install"];

    /// <summary>Case matters on Linux, where functions run; the platforms that fold case in paths fold it here too.</summary>
    private static readonly StringComparison PathComparison = OperatingSystem.IsLinux() ? StringComparison.Ordinal : StringComparison.OrdinalIgnoreCase;

    /// <summary>The <c>node</c> command that runs what <paramref name="command"/> would, or null to keep it; the choice goes to the function's log.</summary>
    /// <inheritdoc cref="Resolve(string, IReadOnlyList{string}, string, Action{string})"/>
    public static (string Command, IReadOnlyList<string> Arguments)? Resolve(string command, IReadOnlyList<string> arguments, string directory)
        => Resolve(command, arguments, directory, Log.Info);

    /// <summary>The <c>node</c> command that runs what <paramref name="command"/> would, or null to keep it.</summary>
    /// <param name="command">The server's command.</param>
    /// <param name="arguments">Its arguments.</param>
    /// <param name="directory">Where the server runs, whose <c>node_modules</c> npx would use.</param>
    /// <param name="log">Where the choice made for an installed package is told.</param>
    internal static (string Command, IReadOnlyList<string> Arguments)? Resolve(string command, IReadOnlyList<string> arguments, string directory, Action<string> log)
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

        // A path, URL or git spec is no package in node_modules, and must not be read as a path into it.
        var spec = arguments[index];
        var (package, version) = Split(spec);
        var packageDirectory = Path.Combine(directory, "node_modules", package);
        if (!PackageName().IsMatch(package) || !File.Exists(Path.Combine(packageDirectory, "package.json")))
        {
            return null;
        }

        var (script, refusal) = BinScriptOrRefusal(packageDirectory, package, version);
        if (script is null)
        {
            log($"'npx {spec}' stays with npx: {refusal}");
            return null;
        }

        log($"'npx {spec}' runs as 'node {script}': the package is installed beside the function (MCPLAMBDA_RESOLVE_NPX=false keeps npx)");
        return ("node", [script, .. arguments.Skip(index + 1)]);
    }

    /// <summary><c>@scope/name@^1.2</c> → (<c>@scope/name</c>, <c>^1.2</c>); the version is null when none is named.</summary>
    private static (string Package, string? Version) Split(string spec)
    {
        var at = spec.IndexOf('@', spec.StartsWith('@') ? 1 : 0);
        return at < 0 ? (spec, null) : (spec[..at], spec[(at + 1)..]);
    }

    /// <summary>The installed package's bin script, or why it is not the one npx would run.</summary>
    private static (string? Script, string? Refusal) BinScriptOrRefusal(string packageDirectory, string package, string? version)
    {
        try
        {
            using var document = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(packageDirectory, "package.json")));
            var manifest = document.RootElement;
            if (manifest.ValueKind != JsonValueKind.Object)
            {
                return (null, "its package.json is not a JSON object");
            }

            if (version is not null && VersionRefusal(manifest, version) is { } refusal)
            {
                return (null, refusal);
            }

            var entry = !manifest.TryGetProperty("bin", out var bin) ? null : bin.ValueKind switch
            {
                JsonValueKind.String => bin,
                JsonValueKind.Object => BinEntry(bin, package),
                _ => (JsonElement?)null,
            };
            if (entry is not { ValueKind: JsonValueKind.String } path || path.GetString() is not { Length: > 0 } scriptPath)
            {
                return (null, $"its package.json names no bin script for {package}");
            }

            var script = Path.GetFullPath(Path.Combine(packageDirectory, scriptPath));
            if (!File.Exists(script))
            {
                return (null, $"its bin script {scriptPath} does not exist");
            }

            return IsInside(script, packageDirectory) ? (script, null) : (null, $"its bin script {scriptPath} lies outside the package");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or JsonException or ArgumentException or NotSupportedException)
        {
            return (null, $"its package.json or bin script cannot be read ({e.GetType().Name}: {e.Message})");
        }
    }

    /// <summary>Why the installed version is not known to be one <paramref name="version"/> names, or null when it is.</summary>
    private static string? VersionRefusal(JsonElement manifest, string version)
    {
        var installed = manifest.TryGetProperty("version", out var value) && value.ValueKind == JsonValueKind.String ? value.GetString()! : null;
        if (installed is null || NpmVersion.Parse(installed) is not { } parsed)
        {
            return $"its package.json has no semantic version to compare with '{version}'";
        }

        if (NpmVersionRange.Parse(version) is not { } range)
        {
            return $"'{version}' is a dist-tag or a range not decided here, so the installed version {installed} may not be what npx would run";
        }

        return range.IsSatisfiedBy(parsed) ? null : $"the installed version {installed} does not satisfy '{version}'";
    }

    /// <summary>A map's only entry, or the one named like the package; null when there is none to choose.</summary>
    private static JsonElement? BinEntry(JsonElement bin, string package)
    {
        var entries = bin.EnumerateObject().ToList();
        if (entries.Count == 1)
        {
            return entries[0].Value;
        }

        var unscoped = package[(package.LastIndexOf('/') + 1)..];
        return entries.Where(e => e.Name == unscoped).Select(e => (JsonElement?)e.Value).FirstOrDefault();
    }

    /// <summary>Whether the real path of <paramref name="script"/>, every link followed, lies inside the package's real directory.</summary>
    private static bool IsInside(string script, string packageDirectory)
        => RealPath.Of(packageDirectory) is { } package
            && RealPath.Of(script) is { } real
            && real.StartsWith(Path.TrimEndingDirectorySeparator(package) + Path.DirectorySeparatorChar, PathComparison);

    /// <summary>A registry package name (npm's rules, capitals allowed for old packages): never a path, URL or git spec.</summary>
    [GeneratedRegex(@"^(?:@[a-z0-9~-][a-z0-9._~-]*/)?[a-z0-9~-][a-z0-9._~-]*$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex PackageName();
}
