using System.Globalization;

namespace TieredKv.Storage.Format;

/// <summary>The names of the files in a database directory (see format-spec/manifest.md).</summary>
public static class FileNames
{
    public const string Current = "CURRENT";
    public const string Lock = "LOCK";

    public static string Wal(ulong number) => $"{number:D6}.wal";
    public static string Table(ulong number) => $"{number:D6}.sst";
    public static string Manifest(ulong number) => $"MANIFEST-{number:D6}";
    public static string Temp(ulong number) => $"{number:D6}.tmp";

    public enum Kind { Unknown, Wal, Table, Manifest, Temp, Current, Lock }

    /// <summary>Recognises a file name written by the engine.</summary>
    public static Kind Parse(string name, out ulong number)
    {
        number = 0;
        if (name == Current) return Kind.Current;
        if (name == Lock) return Kind.Lock;
        if (name.StartsWith("MANIFEST-", StringComparison.Ordinal))
            return ulong.TryParse(name.AsSpan(9), NumberStyles.None, CultureInfo.InvariantCulture, out number) ? Kind.Manifest : Kind.Unknown;
        int dot = name.IndexOf('.');
        if (dot <= 0 || !ulong.TryParse(name.AsSpan(0, dot), NumberStyles.None, CultureInfo.InvariantCulture, out number))
            return Kind.Unknown;
        return name[(dot + 1)..] switch
        {
            "wal" => Kind.Wal,
            "sst" => Kind.Table,
            "tmp" => Kind.Temp,
            _ => Kind.Unknown,
        };
    }
}
