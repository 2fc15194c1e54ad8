namespace TieredKv.Server.Monitoring;

/// <summary>
/// The largest value seen in the last few seconds, as Redis keeps client_recent_max_input_buffer and
/// client_recent_max_output_buffer: one slot per second, in a ring of <see cref="Seconds"/>.
/// </summary>
internal sealed class RecentPeak
{
    public const int Seconds = 8;

    private readonly long[] _values = new long[Seconds];
    private readonly long[] _slotSecond = new long[Seconds];

    public void Record(long value)
    {
        long second = Environment.TickCount64 / 1000;
        int slot = (int)(second % Seconds);
        if (Volatile.Read(ref _slotSecond[slot]) != second)
        {
            // A slot from an older round: start it over (a lost race only loses one sample of a statistic).
            Volatile.Write(ref _values[slot], 0);
            Volatile.Write(ref _slotSecond[slot], second);
        }
        long current;
        while (value > (current = Volatile.Read(ref _values[slot])) && Interlocked.CompareExchange(ref _values[slot], value, current) != current) { }
    }

    public long Max
    {
        get
        {
            long now = Environment.TickCount64 / 1000, max = 0;
            for (int i = 0; i < Seconds; i++)
                if (now - Volatile.Read(ref _slotSecond[i]) < Seconds) max = Math.Max(max, Volatile.Read(ref _values[i]));
            return max;
        }
    }
}
