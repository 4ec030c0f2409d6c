using System.Globalization;

namespace McpLambda.Bench;

/// <summary>Order statistics of a set of timings in milliseconds (nearest-rank percentiles).</summary>
internal sealed class Stats
{
    private readonly double[] _sorted;

    public Stats(IEnumerable<double> samples)
    {
        _sorted = samples.Order().ToArray();
        if (_sorted.Length == 0)
        {
            throw new ArgumentException("no samples", nameof(samples));
        }
    }

    public int Count => _sorted.Length;

    public double Min => _sorted[0];

    public double Max => _sorted[^1];

    public double Mean => _sorted.Average();

    public double P50 => Percentile(50);

    public double P99 => Percentile(99);

    public double Percentile(double p)
    {
        var rank = (int)Math.Ceiling(p / 100 * _sorted.Length);
        return _sorted[Math.Clamp(rank - 1, 0, _sorted.Length - 1)];
    }

    public static string Ms(double ms) => ms switch
    {
        < 10 => ms.ToString("0.000", CultureInfo.InvariantCulture),
        < 100 => ms.ToString("0.00", CultureInfo.InvariantCulture),
        _ => ms.ToString("0.0", CultureInfo.InvariantCulture),
    };

    public static string Ratio(double ratio) => ratio switch
    {
        < 10 => ratio.ToString("0.00", CultureInfo.InvariantCulture) + "x",
        < 100 => ratio.ToString("0.0", CultureInfo.InvariantCulture) + "x",
        _ => ratio.ToString("0", CultureInfo.InvariantCulture) + "x",
    };
}
