using System.Globalization;
using System.Text.RegularExpressions;

namespace McpLambda.Runtime.Bridge;

/// <summary>
/// A semantic version as npm writes a package's <c>version</c>: <c>1.2.3</c>, maybe a prerelease (<c>-beta.1</c>) and
/// build metadata (<c>+build.7</c>, which does not count in comparisons).
/// </summary>
internal sealed partial class NpmVersion : IComparable<NpmVersion>
{
    /// <summary>npm refuses larger numbers (JavaScript's largest safe integer), so they never name a real version.</summary>
    private const long MaxNumber = 9_007_199_254_740_991;

    public NpmVersion(long major, long minor, long patch, IReadOnlyList<string>? prerelease = null)
    {
        Major = major;
        Minor = minor;
        Patch = patch;
        Prerelease = prerelease ?? [];
    }

    public long Major { get; }

    public long Minor { get; }

    public long Patch { get; }

    /// <summary>The prerelease's dot-separated identifiers; empty for a release.</summary>
    public IReadOnlyList<string> Prerelease { get; }

    public bool IsPrerelease => Prerelease.Count > 0;

    /// <summary>The first version of <paramref name="major"/>.<paramref name="minor"/>.<paramref name="patch"/>: its lowest prerelease, <c>-0</c>.</summary>
    public static NpmVersion FirstOf(long major, long minor, long patch) => new(major, minor, patch, ["0"]);

    /// <summary>Reads a version written as npm writes one, or returns null.</summary>
    public static NpmVersion? Parse(string text)
    {
        var match = Strict().Match(text);
        if (!match.Success
            || Number(match.Groups["major"].Value) is not { } major
            || Number(match.Groups["minor"].Value) is not { } minor
            || Number(match.Groups["patch"].Value) is not { } patch)
        {
            return null;
        }

        return new NpmVersion(major, minor, patch, PrereleaseOf(match.Groups["prerelease"].Value));
    }

    /// <summary>A version number, or null when it is not one npm accepts.</summary>
    public static long? Number(string digits)
        => long.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n <= MaxNumber ? n : null;

    /// <summary>The identifiers of a prerelease written without its dash; empty for none.</summary>
    public static string[] PrereleaseOf(string text) => text.Length == 0 ? [] : text.Split('.');

    /// <summary>Whether both share major, minor and patch, whatever their prereleases.</summary>
    public bool IsSameRelease(NpmVersion other) => (Major, Minor, Patch) == (other.Major, other.Minor, other.Patch);

    /// <summary>Semantic versioning's precedence: numbers first, then a prerelease comes before its release.</summary>
    public int CompareTo(NpmVersion? other)
    {
        if (other is null)
        {
            return 1;
        }

        var release = (Major, Minor, Patch).CompareTo((other.Major, other.Minor, other.Patch));
        if (release != 0 || (!IsPrerelease && !other.IsPrerelease))
        {
            return release;
        }

        if (IsPrerelease != other.IsPrerelease)
        {
            return IsPrerelease ? -1 : 1;
        }

        for (var i = 0; i < Math.Min(Prerelease.Count, other.Prerelease.Count); i++)
        {
            var identifier = CompareIdentifiers(Prerelease[i], other.Prerelease[i]);
            if (identifier != 0)
            {
                return identifier;
            }
        }

        return Prerelease.Count.CompareTo(other.Prerelease.Count);
    }

    public override string ToString()
        => $"{Major}.{Minor}.{Patch}" + (IsPrerelease ? "-" + string.Join('.', Prerelease) : "");

    /// <summary>Numeric identifiers compare as numbers and come before alphanumeric ones, which compare as ASCII.</summary>
    private static int CompareIdentifiers(string left, string right)
        => (Number(left), Number(right)) switch
        {
            ({ } l, { } r) => l.CompareTo(r),
            ({ }, null) => -1,
            (null, { }) => 1,
            _ => string.CompareOrdinal(left, right),
        };

    [GeneratedRegex(@"^(?<major>0|[1-9][0-9]*)\.(?<minor>0|[1-9][0-9]*)\.(?<patch>0|[1-9][0-9]*)(?:-(?<prerelease>[0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*))?(?:\+[0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*)?$", RegexOptions.CultureInvariant)]
    private static partial Regex Strict();
}
