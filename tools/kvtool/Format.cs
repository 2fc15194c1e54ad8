using System.Globalization;
using System.Text;

namespace TieredKv.Tools;

/// <summary>Human-readable sizes, durations and binary keys.</summary>
public static class Format
{
    public static string Bytes(long n) => n switch
    {
        < 1024 => $"{n} B",
        < 1024 * 1024 => (n / 1024.0).ToString("F1", CultureInfo.InvariantCulture) + " KiB",
        < 1024L * 1024 * 1024 => (n / 1048576.0).ToString("F1", CultureInfo.InvariantCulture) + " MiB",
        _ => (n / 1073741824.0).ToString("F2", CultureInfo.InvariantCulture) + " GiB",
    };

    public static string Duration(TimeSpan t) => t.TotalHours >= 1 ? $"{(int)t.TotalHours}h{t.Minutes:D2}m" : $"{t.Minutes}m{t.Seconds:D2}s";

    /// <summary>A key for display: printable ASCII as is, other bytes as \xNN, cut at <paramref name="max"/> bytes.</summary>
    public static string Key(ReadOnlySpan<byte> key, int max = 64)
    {
        var sb = new StringBuilder("\"");
        foreach (byte b in key[..Math.Min(key.Length, max)])
        {
            if (b is >= 0x20 and < 0x7F and not (byte)'"' and not (byte)'\\') sb.Append((char)b);
            else sb.Append(CultureInfo.InvariantCulture, $"\\x{b:X2}");
        }
        sb.Append('"');
        if (key.Length > max) sb.Append(CultureInfo.InvariantCulture, $"…(+{key.Length - max} bytes)");
        return sb.ToString();
    }
}
