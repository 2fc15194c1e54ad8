using System.Globalization;
using TieredKv.Storage;
using TieredKv.Storage.Table;

namespace TieredKv.Benchmarks.DbBench;

/// <summary>Command-line settings of the db_bench-like runner.</summary>
public sealed class DbBenchOptions
{
    public const string DefaultBenchmarks = "fillrandom,overwrite,fillseq,readrandom,readrandom-cold,readseq";

    public long Num { get; private set; } = 1_000_000;
    /// <summary>Operations for the read workloads; -1 = <see cref="Num"/>.</summary>
    public long Reads { get; private set; } = -1;
    public int KeySize { get; private set; } = 16;
    public int ValueSize { get; private set; } = 100;
    public double CompressionRatio { get; private set; } = 0.5;
    public IReadOnlyList<string> Benchmarks { get; private set; } = DefaultBenchmarks.Split(',');
    public WalSyncPolicy Sync { get; private set; } = WalSyncPolicy.No;
    public string Directory { get; private set; } = Path.Combine(Path.GetTempPath(), "tieredkv-dbbench");
    public int Threads { get; private set; } = 1;
    /// <summary>Entries per <see cref="WriteBatch"/> in the write workloads.</summary>
    public int BatchSize { get; private set; } = 1;
    public long CacheBytes { get; private set; } = 256L << 20;
    public long ColdCacheBytes { get; private set; } = 1L << 20;
    public long WriteBufferSize { get; private set; } = new DbOptions().WriteBufferSize;
    public CompressionType Compression { get; private set; } = CompressionType.Lz4;
    /// <summary>User bytes (key + value) written by the <c>writeamp</c> workload.</summary>
    public long WriteAmpBytes { get; private set; } = 1L << 30;
    /// <summary>Longest wait for compactions to settle after <c>writeamp</c>.</summary>
    public TimeSpan SettleTimeout { get; private set; } = TimeSpan.FromMinutes(3);
    public int Seed { get; private set; } = 301;
    public bool KeepDirectory { get; private set; }

    public long ReadOps => Reads < 0 ? Num : Reads;

    public static string Usage => """
        Usage: --db-bench [options]
          --benchmarks LIST     comma-separated: fillseq, fillrandom, overwrite, readrandom, readrandom-cold, readseq, writeamp
                                (default: fillrandom,overwrite,fillseq,readrandom,readrandom-cold,readseq:
                                fillseq last of the writes so that the reads find every key)
          --num N               keys per workload (default 1000000)
          --reads N             operations of the read workloads (default: --num)
          --key-size N          key bytes (default 16)
          --value-size N        value bytes (default 100)
          --compression-ratio R value compressibility (default 0.5)
          --compression lz4|none  SSTable block compression (default lz4)
          --sync no|everysec|always  WAL sync policy (default no)
          --threads N           writer threads of the fill workloads (default 1)
          --batch N             entries per write batch (default 1)
          --cache-size BYTES    block cache (default 268435456)
          --cold-cache-size BYTES  block cache of readrandom-cold (default 1048576)
          --write-buffer-size BYTES  memtable size (default: engine default)
          --bytes BYTES         user bytes written by writeamp (default 1073741824; suffixes k, m, g allowed)
          --settle-seconds N    longest wait for compactions after writeamp (default 180)
          --dir PATH            database directory (default $TMPDIR/tieredkv-dbbench; wiped by fresh-db workloads)
          --keep                keep the database directory at the end
          --seed N              random seed (default 301)
        """;

    public static DbBenchOptions Parse(IReadOnlyList<string> args)
    {
        var o = new DbBenchOptions();
        for (int i = 0; i < args.Count; i++)
        {
            string arg = args[i];
            string? inline = null;
            int eq = arg.IndexOf('=');
            if (arg.StartsWith("--", StringComparison.Ordinal) && eq > 0)
            {
                inline = arg[(eq + 1)..];
                arg = arg[..eq];
            }
            string Value()
            {
                if (inline != null) return inline;
                if (i + 1 >= args.Count) throw new ArgumentException($"{arg} needs a value");
                return args[++i];
            }
            switch (arg)
            {
                case "--db-bench": break;
                case "--num": o.Num = ParseSize(Value(), arg); break;
                case "--reads": o.Reads = ParseSize(Value(), arg); break;
                case "--key-size": o.KeySize = (int)ParseSize(Value(), arg); break;
                case "--value-size": o.ValueSize = (int)ParseSize(Value(), arg); break;
                case "--compression-ratio": o.CompressionRatio = double.Parse(Value(), CultureInfo.InvariantCulture); break;
                case "--compression": o.Compression = ParseCompression(Value()); break;
                case "--benchmarks":
                    o.Benchmarks = Value().Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
                    break;
                case "--sync": o.Sync = ParseSync(Value()); break;
                case "--threads": o.Threads = (int)ParseSize(Value(), arg); break;
                case "--batch": o.BatchSize = (int)ParseSize(Value(), arg); break;
                case "--cache-size": o.CacheBytes = ParseSize(Value(), arg); break;
                case "--cold-cache-size": o.ColdCacheBytes = ParseSize(Value(), arg); break;
                case "--write-buffer-size": o.WriteBufferSize = ParseSize(Value(), arg); break;
                case "--bytes": o.WriteAmpBytes = ParseSize(Value(), arg); break;
                case "--settle-seconds": o.SettleTimeout = TimeSpan.FromSeconds(ParseSize(Value(), arg)); break;
                case "--dir": o.Directory = Value(); break;
                case "--keep": o.KeepDirectory = true; break;
                case "--seed": o.Seed = (int)ParseSize(Value(), arg); break;
                default: throw new ArgumentException($"unknown option {arg}");
            }
        }
        if (o.Num < 1) throw new ArgumentException("--num must be positive");
        if (o.KeySize < 8) throw new ArgumentException("--key-size must be at least 8");
        if (o.Threads < 1) throw new ArgumentException("--threads must be positive");
        if (o.BatchSize < 1) throw new ArgumentException("--batch must be positive");
        return o;
    }

    public static string SyncName(WalSyncPolicy sync) => sync switch
    {
        WalSyncPolicy.No => "no",
        WalSyncPolicy.EverySec => "everysec",
        _ => "always",
    };

    private static WalSyncPolicy ParseSync(string s) => s.ToLowerInvariant() switch
    {
        "no" or "none" => WalSyncPolicy.No,
        "everysec" => WalSyncPolicy.EverySec,
        "always" => WalSyncPolicy.Always,
        _ => throw new ArgumentException($"--sync must be no, everysec or always, not {s}"),
    };

    private static CompressionType ParseCompression(string s) => s.ToLowerInvariant() switch
    {
        "lz4" => CompressionType.Lz4,
        "none" => CompressionType.None,
        _ => throw new ArgumentException($"--compression must be lz4 or none, not {s}"),
    };

    /// <summary>An integer with an optional binary suffix (k, m, g) and optional underscores.</summary>
    private static long ParseSize(string s, string option)
    {
        s = s.Replace("_", "", StringComparison.Ordinal).Trim();
        long multiplier = 1;
        if (s.Length > 0)
        {
            switch (char.ToLowerInvariant(s[^1]))
            {
                case 'k': multiplier = 1L << 10; s = s[..^1]; break;
                case 'm': multiplier = 1L << 20; s = s[..^1]; break;
                case 'g': multiplier = 1L << 30; s = s[..^1]; break;
            }
        }
        if (!long.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out long n))
            throw new ArgumentException($"{option}: not a number: {s}");
        return checked(n * multiplier);
    }
}
