namespace TieredKv.Types.HyperLogLog;

/// <summary>
/// The HyperLogLog cardinality estimate Redis 7 uses: Otmar Ertl's "improved" estimator (New
/// cardinality estimation algorithms for HyperLogLog sketches, 2017) over the histogram of register
/// values, with its tau and sigma corrections for the highest and the zero registers.
/// </summary>
internal static class CardinalityEstimator
{
    /// <summary>Bits of the hash left after the register index (q).</summary>
    private const int Q = 50;

    /// <summary>The asymptotic bias constant 1 / (2 ln 2).</summary>
    private const double AlphaInfinity = 0.721347520444481703680;

    /// <summary>The estimate from how many of the 16384 registers hold each value (index 0 … q+1).</summary>
    public static ulong Estimate(int[] histogram)
    {
        double m = HyperLogLogSketch.Registers;
        double z = m * Tau((m - histogram[Q + 1]) / m);
        for (int j = Q; j >= 1; j--)
        {
            z += histogram[j];
            z *= 0.5;
        }
        z += m * Sigma(histogram[0] / m);
        return (ulong)(long)Math.Round(AlphaInfinity * m * m / z, MidpointRounding.AwayFromZero);
    }

    /// <summary>sigma(x) = x + sum over k ≥ 1 of x^(2^k) · 2^(k-1), to convergence; infinite at 1.</summary>
    private static double Sigma(double x)
    {
        if (x == 1.0) return double.PositiveInfinity;
        double y = 1, z = x, previous;
        do
        {
            x *= x;
            previous = z;
            z += x * y;
            y += y;
        } while (previous != z);
        return z;
    }

    /// <summary>tau(x) = (1 - x - sum over k ≥ 1 of (1 - x^(2^-k))² · 2^-k) / 3, to convergence; 0 at 0 and 1.</summary>
    private static double Tau(double x)
    {
        if (x == 0.0 || x == 1.0) return 0.0;
        double y = 1.0, z = 1 - x, previous;
        do
        {
            x = Math.Sqrt(x);
            previous = z;
            y *= 0.5;
            z -= Math.Pow(1 - x, 2) * y;
        } while (previous != z);
        return z / 3;
    }
}
