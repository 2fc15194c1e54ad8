using System.Globalization;

namespace TieredKv.Fuzz;

/// <summary>The flags of <c>fuzz run</c>.</summary>
internal sealed record RunFlags(double Seconds, string? Corpus, int? Seed, string Findings, int MaxLength, int TimeoutMs)
{
    public static RunFlags Parse(ReadOnlySpan<string> flags)
    {
        var o = new RunFlags(60, null, null, "findings", 64 * 1024, 2000);
        for (int i = 0; i + 1 < flags.Length; i += 2)
        {
            string v = flags[i + 1];
            o = flags[i] switch
            {
                "--seconds" => o with { Seconds = double.Parse(v, CultureInfo.InvariantCulture) },
                "--corpus" => o with { Corpus = v },
                "--seed" => o with { Seed = int.Parse(v, CultureInfo.InvariantCulture) },
                "--findings" => o with { Findings = v },
                "--max-len" => o with { MaxLength = int.Parse(v, CultureInfo.InvariantCulture) },
                "--timeout-ms" => o with { TimeoutMs = int.Parse(v, CultureInfo.InvariantCulture) },
                _ => throw new ArgumentException($"unknown flag {flags[i]}"),
            };
        }
        if (flags.Length % 2 != 0) throw new ArgumentException($"flag {flags[^1]} needs a value");
        return o;
    }
}
