using TieredKv.Keyspace;
using TieredKv.Rdb;
using TieredKv.Rdb.Format;

namespace TieredKv.Tools;

/// <summary>
/// <c>kvtool inspect file.rdb</c>: what an RDB file holds, read to its end with <see cref="RdbReader"/> — version,
/// AUX fields, keys per type and with expiry per database, value sizes, keys we skip (module values) and the
/// checksum. Value size is the bytes of a string, or of a collection's members and hash values (scores not counted).
/// </summary>
public static class RdbInspection
{
    /// <summary>True when the file starts with the RDB magic <c>REDIS</c>.</summary>
    public static bool IsRdb(FileInfo file)
    {
        Span<byte> magic = stackalloc byte[5];
        using var f = file.OpenRead();
        return f.ReadAtLeast(magic, 5, throwOnEndOfStream: false) == 5 && magic.SequenceEqual("REDIS"u8);
    }

    public static int Run(ToolConsole console, FileInfo file)
    {
        var output = console.Out;
        var progress = console.Progress("inspect", file.Length);
        var perDb = new SortedDictionary<int, (Dictionary<KeyType, long> Types, long Expiring)>();
        long totalBytes = 0, largestBytes = -1;
        string largest = "";
        RdbReader? reader = null;
        RdbFormatException? damage = null;
        using (var stream = new ProgressStream(file.OpenRead(), progress))
        {
            try
            {
                reader = new RdbReader(stream) { ReadStreams = true };
                while (reader.TryReadNext(out RdbEntry? entry))
                {
                    if (!perDb.TryGetValue(entry.Db, out var db)) perDb[entry.Db] = db = (new Dictionary<KeyType, long>(), 0);
                    db.Types[entry.Type] = db.Types.GetValueOrDefault(entry.Type) + 1;
                    if (entry.ExpireAtUnixMs != null) perDb[entry.Db] = db with { Expiring = db.Expiring + 1 };
                    long size = entry.Type == KeyType.String ? entry.Value.StringValue().Length
                        : entry.Value.IsStream ? entry.Value.Stream().Entries().Sum(e => e.Fields.Sum(f => (long)f.Key.Length + f.Value.Length))
                        : entry.Value.Elements().Sum(e => (long)e.Member.Length + (e.Value?.Length ?? 0));
                    totalBytes += size;
                    if (size > largestBytes)
                    {
                        largestBytes = size;
                        largest = $"{Format.Key(entry.Key)} in db {entry.Db} ({KeyTypeNames.Name(entry.Type)}, {size} bytes)";
                    }
                }
            }
            catch (RdbFormatException e)
            {
                damage = e;
            }
        }
        progress.Finish();

        output.WriteLine($"rdb {file.Name}");
        output.WriteLine($"  file size         {file.Length} bytes ({Format.Bytes(file.Length)})");
        if (reader != null)
        {
            output.WriteLine($"  version           {reader.Version}");
            foreach (var (name, value) in reader.Aux) output.WriteLine($"  aux {name,-13} {value}");
        }
        foreach (var (db, (types, expiring)) in perDb)
        {
            string byType = string.Join(", ", types.OrderBy(t => t.Key).Select(t => $"{t.Value} {KeyTypeNames.Name(t.Key)}"));
            output.WriteLine($"  db {db,-14} {types.Values.Sum()} keys ({byType}), {expiring} with expiry");
        }
        long keys = perDb.Values.Sum(d => d.Types.Values.Sum());
        output.WriteLine($"  keys              {keys} ({perDb.Values.Sum(d => d.Expiring)} with expiry)");
        output.WriteLine($"  value bytes       {totalBytes} ({Format.Bytes(totalBytes)})");
        if (largestBytes >= 0) output.WriteLine($"  largest value     {largest}");
        if (reader != null)
        {
            output.WriteLine($"  skipped keys      {reader.SkippedKeys.Count}");
            foreach (var s in reader.SkippedKeys) output.WriteLine($"    db {s.Db} {Format.Key(s.Key)}: {s.Reason}");
            foreach (var w in reader.Warnings.Where(w => !w.StartsWith("skipped key", StringComparison.Ordinal))) output.WriteLine($"  warning           {w}");
        }
        output.WriteLine($"  checksum          {Checksum(reader, damage)}");
        if (damage == null) return KvTool.Ok;
        output.WriteLine($"CORRUPTION {file.FullName} offset {damage.Offset}: {damage.Problem}");
        return KvTool.DamageFound;
    }

    private static string Checksum(RdbReader? reader, RdbFormatException? damage) => reader switch
    {
        _ when damage != null => "not reached (the file is damaged)",
        { ChecksumVerified: true } => "CRC-64 verified",
        { Version: < 5 } => "none (RDB version < 5 has no checksum)",
        _ => "disabled (zero in the file): not verified",
    };
}
