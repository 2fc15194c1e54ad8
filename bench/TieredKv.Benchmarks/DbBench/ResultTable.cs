using System.Globalization;
using System.Text;

namespace TieredKv.Benchmarks.DbBench;

/// <summary>Renders results as an aligned console table and as a Markdown table for the README.</summary>
public static class ResultTable
{
    private static readonly string[] Headers = ["benchmark", "sync", "threads", "ops", "ops/s", "MB/s", "micros/op", "notes"];

    public static string FormatLine(BenchResult r) => string.Create(CultureInfo.InvariantCulture,
        $"{r.Name,-16} : {r.MicrosPerOp,10:F3} micros/op; {r.OpsPerSecond,12:N0} ops/s; {r.MegabytesPerSecond,8:F1} MB/s; sync={r.Sync}; threads={r.Threads}; {r.Note}");

    public static string Aligned(IReadOnlyList<BenchResult> results)
    {
        var rows = results.Select(Cells).ToList();
        var widths = Headers.Select((h, i) => Math.Max(h.Length, rows.Count == 0 ? 0 : rows.Max(r => r[i].Length))).ToArray();
        var sb = new StringBuilder();
        void Row(string[] cells)
        {
            for (int i = 0; i < cells.Length; i++)
            {
                // Text columns left-aligned, numbers right-aligned.
                bool left = i is 0 or 1 or 7;
                sb.Append(left ? cells[i].PadRight(widths[i]) : cells[i].PadLeft(widths[i]));
                if (i < cells.Length - 1) sb.Append("  ");
            }
            sb.AppendLine();
        }
        Row(Headers);
        sb.AppendLine(new string('-', widths.Sum() + 2 * (widths.Length - 1)));
        foreach (var r in rows) Row(r);
        return sb.ToString();
    }

    public static string Markdown(IReadOnlyList<BenchResult> results)
    {
        var sb = new StringBuilder();
        sb.AppendLine("| " + string.Join(" | ", Headers) + " |");
        sb.AppendLine("|" + string.Join("|", Headers.Select((_, i) => i is 0 or 1 or 7 ? "---" : "---:")) + "|");
        foreach (var r in results) sb.AppendLine("| " + string.Join(" | ", Cells(r)) + " |");
        return sb.ToString();
    }

    private static string[] Cells(BenchResult r) =>
    [
        r.Name,
        r.Sync,
        r.Threads.ToString(CultureInfo.InvariantCulture),
        r.Ops.ToString("N0", CultureInfo.InvariantCulture),
        r.OpsPerSecond.ToString("N0", CultureInfo.InvariantCulture),
        r.MegabytesPerSecond.ToString("F1", CultureInfo.InvariantCulture),
        r.MicrosPerOp.ToString("F3", CultureInfo.InvariantCulture),
        r.Note,
    ];
}
