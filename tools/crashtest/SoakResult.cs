using System.Globalization;

namespace TieredKv.CrashTest;

/// <summary>Totals of a soak run; any entry in <see cref="Failures"/> fails it.</summary>
internal sealed class SoakResult
{
    public long Requests { get; set; }
    public double Seconds { get; set; }
    public double P99Millis { get; set; }
    public long MaxRssBytes { get; set; }
    public long Flushes { get; set; }
    public long Compactions { get; set; }
    public List<string> Failures { get; } = [];

    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"{Requests} checked requests in {Seconds:F0} s ({Requests / Math.Max(Seconds, 0.001):F0}/s), p99 {P99Millis:F2} ms, max RSS {MaxRssBytes / 1048576.0:F0} MiB, flushes {Flushes}, compactions {Compactions}, failures {Failures.Count}");
}
