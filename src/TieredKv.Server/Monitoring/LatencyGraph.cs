using System.Globalization;
using System.Text;

namespace TieredKv.Server.Monitoring;

/// <summary>
/// LATENCY GRAPH's text: a header with the high, low and all-time high, a rule, then the samples as Redis's
/// filled ASCII sparkline (four rows of "_o#" with '|' below the top, 80 columns a block), each column labelled
/// below with how long ago its sample was (s, m, h or d, written downwards).
/// </summary>
internal static class LatencyGraph
{
    private const int Columns = 80;
    private const int Rows = 4;
    private const string Charset = "_o#";

    public static string Render(string eventName, long allTimeMaxMs, IReadOnlyList<(long UnixSeconds, long LatencyMs)> samples, long nowUnixSeconds)
    {
        long min = samples.Count == 0 ? 0 : samples.Min(s => s.LatencyMs);
        long max = samples.Count == 0 ? 0 : samples.Max(s => s.LatencyMs);
        var sb = new StringBuilder();
        sb.Append(CultureInfo.InvariantCulture, $"{eventName} - high {max} ms, low {min} ms (all time high {allTimeMaxMs} ms)\n");
        sb.Append('-', Columns).Append('\n');
        var labels = samples.Select(s => Ago(nowUnixSeconds - s.UnixSeconds)).ToList();
        for (int start = 0; start < samples.Count; start += Columns)
        {
            if (start != 0) sb.Append('\n');
            RenderRange(sb, samples, labels, min, max, start, Math.Min(Columns, samples.Count - start));
        }
        return sb.ToString();
    }

    private static string Ago(long elapsed) => elapsed switch
    {
        < 60 => $"{elapsed}s",
        < 3600 => $"{elapsed / 60}m",
        < 86400 => $"{elapsed / 3600}h",
        _ => $"{elapsed / 86400}d",
    };

    private static void RenderRange(StringBuilder sb, IReadOnlyList<(long UnixSeconds, long LatencyMs)> samples, List<string> labels, long min, long max, int offset, int length)
    {
        double range = max - min;
        if (range == 0) range = 1;
        int steps = Charset.Length * Rows;
        var line = new char[length];
        for (int row = 0; ; row++)
        {
            bool more = false;
            Array.Fill(line, ' ');
            for (int j = 0; j < length; j++)
            {
                double relative = samples[offset + j].LatencyMs - min;
                int step = Math.Clamp((int)((int)(relative * steps) / range), 0, steps - 1);
                if (row < Rows)
                {
                    more = true;
                    int index = step - (Rows - row - 1) * Charset.Length;
                    if (index >= 0 && index < Charset.Length) line[j] = Charset[index];
                    else if (index >= Charset.Length) line[j] = '|';
                    continue;
                }
                // One blank row between the graph and the labels.
                if (row == Rows)
                {
                    more = true;
                    break;
                }
                string label = labels[offset + j];
                int labelChar = row - Rows - 1;
                if (label.Length > labelChar)
                {
                    more = true;
                    line[j] = label[labelChar];
                }
            }
            if (!more) return;
            sb.Append(line).Append('\n');
        }
    }
}
