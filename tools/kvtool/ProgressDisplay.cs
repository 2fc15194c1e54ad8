using System.Diagnostics;

namespace TieredKv.Tools;

/// <summary>
/// Progress of a long job on stderr, in bytes or keys: on a terminal one line redrawn with '\r' (bar,
/// percentage, rate, ETA) at most ten times a second; otherwise a plain line every few seconds,
/// so logs stay readable. Nothing is printed for jobs that finish within the first interval.
/// </summary>
/// <param name="interval">Least time between two redraws; by default 0.1 s on a terminal, 5 s otherwise.</param>
/// <param name="unit">What <c>done</c> and <c>total</c> count: bytes, or keys.</param>
public sealed class ProgressDisplay(TextWriter error, bool interactive, string label, long total, TimeSpan? interval = null, ProgressUnit unit = ProgressUnit.Bytes)
{
    private const int BarWidth = 30;
    private readonly TimeSpan _interval = interval ?? (interactive ? TimeSpan.FromMilliseconds(100) : TimeSpan.FromSeconds(5));

    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private TimeSpan _lastDraw;
    private bool _drawn;

    public void Update(long done, string? detail = null)
    {
        var now = _clock.Elapsed;
        if (now - _lastDraw < _interval) return;
        _lastDraw = now;
        _drawn = true;
        string line = Describe(done, now, detail);
        if (interactive) error.Write("\r" + line.PadRight(100)[..100]);
        else error.WriteLine(line);
    }

    public void Finish()
    {
        if (interactive && _drawn) error.Write("\r" + new string(' ', 100) + "\r");
    }

    private string Amount(long n) => unit == ProgressUnit.Keys ? $"{n} keys" : Format.Bytes(n);

    private string Describe(long done, TimeSpan elapsed, string? detail)
    {
        double fraction = total <= 0 ? 1 : Math.Clamp((double)done / total, 0, 1);
        double rate = elapsed.TotalSeconds > 0 ? done / elapsed.TotalSeconds : 0;
        string eta = rate > 0 && total > done ? Format.Duration(TimeSpan.FromSeconds((total - done) / rate)) : "--";
        int filled = (int)(fraction * BarWidth);
        string bar = interactive ? "[" + new string('#', filled) + new string('.', BarWidth - filled) + "] " : "";
        return $"{label} {bar}{fraction * 100,5:F1}% {Amount(done)}/{Amount(total)} {Amount((long)rate)}/s ETA {eta}" +
               (detail == null ? "" : " " + detail);
    }
}
