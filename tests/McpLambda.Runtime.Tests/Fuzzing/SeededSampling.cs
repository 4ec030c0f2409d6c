using CsCheck;

namespace McpLambda.Runtime.Tests.Fuzzing;

/// <summary>
/// Runs a generator over seeds the test suite fixes, so two runs of one commit test the same cases and a failure in CI
/// is a failure of the change, not of the draw. The seeds are a stream derived from the property's name, then every
/// seed that ever failed (kept as named regressions). <c>CsCheck_Seed</c> replays one case; open-ended exploration is
/// the separate command in the README (<c>MCPLAMBDA_FUZZ_EXPLORE=N</c>: N fresh random seeds, each printed when it fails).
/// </summary>
internal static class SeededSampling
{
    /// <summary>The variable that turns a run into exploration with that many fresh random seeds per property.</summary>
    public const string ExploreVariable = "MCPLAMBDA_FUZZ_EXPLORE";

    /// <summary>Whether this run replays the one case named by <c>CsCheck_Seed</c> (counts of cases then mean nothing).</summary>
    public static bool Replaying => Environment.GetEnvironmentVariable("CsCheck_Seed") is { Length: > 0 };

    /// <summary>Checks <paramref name="check"/> on the values of <paramref name="seeds"/>, <paramref name="threads"/> at a time.</summary>
    /// <returns>How many cases ran.</returns>
    public static async Task<int> SampleSeededAsync<T>(this Gen<T> gen, Func<T, Task> check, IReadOnlyList<string> seeds, int threads = 2)
    {
        var next = -1;
        var ran = 0;
        var workers = Enumerable.Range(0, threads).Select(_ => Task.Run(async () =>
        {
            int index;
            while ((index = Interlocked.Increment(ref next)) < seeds.Count)
            {
                var seed = seeds[index];
                var value = gen.Generate(PCG.Parse(seed), null, out Size _);
                try
                {
                    await check(value);
                }
                catch (Exception ex)
                {
                    throw new CsCheckException($"Seed \"{seed}\" failed (replay it alone with -e CsCheck_Seed={seed}, keep it with the property's regressions): {Describe(value)}", ex);
                }

                Interlocked.Increment(ref ran);
            }
        })).ToArray();
        await Task.WhenAll(workers);
        return ran;
    }

    /// <summary>
    /// The seeds a property runs: <c>CsCheck_Seed</c> alone when set; else <paramref name="count"/> seeds derived from
    /// <paramref name="property"/> (or fresh random ones when exploring) followed by the regressions.
    /// </summary>
    public static IReadOnlyList<string> Seeds(string property, int count, params string[] regressions)
    {
        if (Replaying)
        {
            return [Environment.GetEnvironmentVariable("CsCheck_Seed")!];
        }

        var explore = int.TryParse(Environment.GetEnvironmentVariable(ExploreVariable), out var n) && n > 0;
        var stream = property.Aggregate(17u, (hash, c) => unchecked((hash * 31) + c)) & 0x7FFF_FFFF;
        var start = explore ? (ulong)Random.Shared.NextInt64() : 0UL;
        var derived = Enumerable.Range(0, explore ? n : count)
            .Select(i => new PCG(stream, start + (ulong)i * 0x9E37_79B9_7F4A_7C15UL).ToString());
        return [.. regressions, .. derived];
    }

    private static string Describe<T>(T value)
    {
        var text = value?.ToString() ?? "null";
        return text.Length <= 2_000 ? text : text[..2_000] + "…";
    }
}
