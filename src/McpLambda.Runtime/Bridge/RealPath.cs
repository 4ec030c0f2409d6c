namespace McpLambda.Runtime.Bridge;

/// <summary>
/// A path with every symbolic link along it followed, as realpath(3) gives it: where a file really is, whichever
/// links lead to it. .NET resolves only the last link of a path, and a link to a folder can sit anywhere along it.
/// </summary>
internal static class RealPath
{
    /// <summary>Linux's limit on links followed in one lookup; more means they loop.</summary>
    private const int MaxLinks = 40;

    private static readonly char[] Separators = [Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar];

    /// <summary>The real path of the existing <paramref name="path"/>, or null when its links loop.</summary>
    /// <exception cref="IOException">A part of the path cannot be looked at.</exception>
    /// <exception cref="UnauthorizedAccessException">A folder along the path may not be read.</exception>
    public static string? Of(string path)
    {
        var full = Path.GetFullPath(path);
        var real = Path.GetPathRoot(full)!;
        var pending = new Stack<string>();
        Push(pending, full[real.Length..]);
        var links = 0;
        while (pending.TryPop(out var part))
        {
            if (part == "..")
            {
                real = Path.GetDirectoryName(real) ?? real;
                continue;
            }

            var next = Path.Join(real, part);
            var target = new FileInfo(next).LinkTarget;
            if (target is null)
            {
                real = next;
                continue;
            }

            if (++links > MaxLinks)
            {
                return null;
            }

            // A relative target is read from the link's folder, which is where the walk stands.
            if (Path.IsPathRooted(target))
            {
                real = Path.GetPathRoot(target)!;
            }

            Push(pending, target);
        }

        return real;
    }

    /// <summary>Puts the parts of <paramref name="path"/> on <paramref name="pending"/>, its first on top.</summary>
    private static void Push(Stack<string> pending, string path)
    {
        var parts = path.Split(Separators, StringSplitOptions.RemoveEmptyEntries);
        for (var i = parts.Length - 1; i >= 0; i--)
        {
            if (parts[i] != ".")
            {
                pending.Push(parts[i]);
            }
        }
    }
}
