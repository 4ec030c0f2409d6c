using System.Text.RegularExpressions;

namespace McpLambda.Runtime.Bridge;

/// <summary>
/// The part of npm's range grammar that an npx command's <c>package@range</c> uses: an exact version (<c>1.2.3</c>,
/// <c>=1.2.3</c>, <c>v1.2.3</c>), a partial or wildcard one (<c>2</c>, <c>2.x</c>, <c>2.7.*</c>, <c>*</c>), a caret
/// (<c>^1.2</c>), a tilde (<c>~1.2.3</c>) or a lower bound (<c>&gt;=1.2</c>). Anything else (a dist-tag such as
/// <c>latest</c>, <c>||</c>, hyphen ranges, <c>&lt;</c>, <c>&gt;</c>) is not read: whether an installed version is the one
/// npx would run is then not known.
/// </summary>
internal sealed partial class NpmVersionRange
{
    private readonly string _text;
    private readonly NpmVersion _lowest;
    private readonly (NpmVersion Version, bool Inclusive)? _highest;

    private NpmVersionRange(string text, NpmVersion lowest, (NpmVersion, bool)? highest)
    {
        _text = text;
        _lowest = lowest;
        _highest = highest;
    }

    /// <summary>Reads <paramref name="text"/>, or returns null when it is not a range of the supported kinds.</summary>
    public static NpmVersionRange? Parse(string text)
    {
        var match = Grammar().Match(text.Trim());
        if (!match.Success)
        {
            return null;
        }

        var major = Part(match.Groups["major"]);
        var minor = Part(match.Groups["minor"]);
        var patch = Part(match.Groups["patch"]);
        if (major is null && match.Groups["major"].Value is not ("x" or "X" or "*"))
        {
            return null;
        }

        if (major is null)
        {
            return new NpmVersionRange(text, new NpmVersion(0, 0, 0), null);
        }

        var lowest = new NpmVersion(major.Value, minor ?? 0, patch ?? 0, NpmVersion.PrereleaseOf(match.Groups["prerelease"].Value));
        (NpmVersion, bool)? highest = match.Groups["operator"].Value switch
        {
            ">=" => null,
            "^" when major > 0 || minor is null => Before(major.Value + 1, 0, 0),
            "^" when minor > 0 || patch is null => Before(0, minor.Value + 1, 0),
            "^" => Before(0, 0, patch.Value + 1),
            _ when minor is null => Before(major.Value + 1, 0, 0),
            "~" or "~>" => Before(major.Value, minor.Value + 1, 0),
            _ when patch is null => Before(major.Value, minor.Value + 1, 0),
            _ => (lowest, true),
        };
        return new NpmVersionRange(text, lowest, highest);

        // Below every version of the release, its prereleases included.
        static (NpmVersion, bool) Before(long major, long minor, long patch) => (NpmVersion.FirstOf(major, minor, patch), false);
    }

    /// <summary>
    /// Whether <paramref name="version"/> is in the range. As in npm, a prerelease is in it only when the range itself
    /// names a prerelease of the same release (<c>^1.0.0-beta.2</c> takes <c>1.0.0-beta.10</c>; <c>^1.0.0</c> takes no
    /// <c>1.1.0-beta.1</c>).
    /// </summary>
    public bool IsSatisfiedBy(NpmVersion version)
    {
        if (version.IsPrerelease && !(_lowest.IsPrerelease && version.IsSameRelease(_lowest)))
        {
            return false;
        }

        if (version.CompareTo(_lowest) < 0)
        {
            return false;
        }

        if (_highest is not { } highest)
        {
            return true;
        }

        var order = version.CompareTo(highest.Version);
        return order < 0 || (order == 0 && highest.Inclusive);
    }

    public override string ToString() => _text;

    /// <summary>A number, or null for a wildcard or a part left out.</summary>
    private static long? Part(Group group) => group.Success ? NpmVersion.Number(group.Value) : null;

    /// <summary>
    /// An operator, then a version whose parts may stop early or end in wildcards; a prerelease only on a whole version.
    /// A number after a wildcard (<c>1.x.3</c>) is not read.
    /// </summary>
    [GeneratedRegex(@"^(?<operator>>=|\^|~>?|=)?\s*v?(?:(?<major>[xX*])(?:\.[xX*]){0,2}|(?<major>[0-9]+)(?:\.(?:[xX*](?:\.[xX*])?|(?<minor>[0-9]+)(?:\.(?:[xX*]|(?<patch>[0-9]+)(?:-(?<prerelease>[0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*))?(?:\+[0-9A-Za-z.-]+)?))?))?)$", RegexOptions.CultureInvariant)]
    private static partial Regex Grammar();
}
