using TieredKv.Fuzz.Targets;

namespace TieredKv.Fuzz;

/// <summary>The targets by name.</summary>
internal static class FuzzTargets
{
    public static IReadOnlyList<string> Names { get; } = ["resp", "rdb", "dump", "sstable", "wal", "manifest"];

    public static IFuzzTarget Create(string name) => name switch
    {
        "resp" => new RespTarget(),
        "rdb" => new RdbTarget(),
        "dump" => new DumpTarget(),
        "sstable" => new SstableTarget(),
        "wal" => new WalTarget(),
        "manifest" => new ManifestTarget(),
        _ => throw new ArgumentException($"unknown target '{name}' (targets: {string.Join(", ", Names)})", nameof(name)),
    };

    /// <summary>Every file of a corpus folder, in name order so runs are repeatable.</summary>
    public static List<byte[]> LoadCorpus(string directory) =>
        Directory.Exists(directory)
            ? [.. Directory.GetFiles(directory).Order(StringComparer.Ordinal).Where(f => !f.EndsWith(".md", StringComparison.Ordinal)).Select(File.ReadAllBytes)]
            : [];
}
