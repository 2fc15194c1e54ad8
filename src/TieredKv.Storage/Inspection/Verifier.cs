using System.Text;
using TieredKv.Storage.Format;

namespace TieredKv.Storage.Inspection;

/// <summary>
/// Checks every checksum of every file of a database directory offline, with the engine's own
/// readers, and never writes: CURRENT, every MANIFEST record (and that the tables the current one
/// lists exist with their recorded sizes), every WAL record and its write batch, every table's
/// footer, index, filter, properties and data blocks. Does not take the directory's lock, so run it
/// on a directory no server has open (or on a copy).
/// </summary>
public static class Verifier
{
    public static VerifyReport VerifyDirectory(string directory, Action<VerifyProgress>? progress = null)
    {
        if (!Directory.Exists(directory)) throw new DirectoryNotFoundException($"no directory {directory}");
        var corruptions = new List<Corruption>();
        var tornTails = new List<Corruption>();
        var files = Directory.EnumerateFiles(directory)
            .Select(p => (Path: p, Kind: FileNames.Parse(System.IO.Path.GetFileName(p), out ulong n), Number: n))
            .Where(f => f.Kind is FileNames.Kind.Current or FileNames.Kind.Manifest or FileNames.Kind.Wal or FileNames.Kind.Table)
            .OrderBy(f => f.Kind).ThenBy(f => f.Number)
            .ToList();
        long totalBytes = files.Sum(f => new FileInfo(f.Path).Length), doneBytes = 0, entries = 0, records = 0;
        int done = 0;

        string? currentManifest = CheckCurrent(directory, corruptions);
        foreach (var (path, kind, _) in files)
        {
            long size = new FileInfo(path).Length;
            long before = doneBytes;
            void Report(long offset) => progress?.Invoke(new VerifyProgress(path, done, files.Count, before + offset, totalBytes));
            Report(0);
            switch (kind)
            {
                case FileNames.Kind.Manifest:
                    var manifest = LogInspector.InspectManifest(path);
                    corruptions.AddRange(manifest.Corruptions);
                    if (manifest.TornTail is { } mt) tornTails.Add(mt);
                    records += manifest.Edits;
                    if (System.IO.Path.GetFileName(path) == currentManifest) CheckLiveTables(directory, manifest, corruptions);
                    break;
                case FileNames.Kind.Wal:
                    var wal = LogInspector.InspectWal(path, Report);
                    corruptions.AddRange(wal.Corruptions);
                    if (wal.TornTail is { } wt) tornTails.Add(wt);
                    records += wal.Records;
                    break;
                case FileNames.Kind.Table:
                    var table = TableInspector.Inspect(path, Report);
                    corruptions.AddRange(table.Corruptions);
                    entries += table.Entries;
                    break;
            }
            doneBytes += size;
            done++;
        }
        progress?.Invoke(new VerifyProgress("", done, files.Count, doneBytes, totalBytes));
        return new VerifyReport
        {
            Corruptions = corruptions,
            TornTails = tornTails,
            FilesChecked = files.Count,
            BytesChecked = doneBytes,
            TableEntries = entries,
            LogRecords = records,
        };
    }

    /// <summary>CURRENT must name an existing manifest, one line ending in a newline; returns that name.</summary>
    private static string? CheckCurrent(string directory, List<Corruption> corruptions)
    {
        string path = System.IO.Path.Combine(directory, FileNames.Current);
        if (!File.Exists(path))
        {
            corruptions.Add(new Corruption(path, 0, "CURRENT is missing"));
            return null;
        }
        var bytes = File.ReadAllBytes(path);
        string text = Encoding.ASCII.GetString(bytes);
        if (bytes.Length is 0 or > 256 || !text.EndsWith('\n'))
        {
            corruptions.Add(new Corruption(path, 0, $"CURRENT is not one line ending in a newline ({bytes.Length} bytes)"));
            return null;
        }
        string name = text[..^1];
        if (FileNames.Parse(name, out _) != FileNames.Kind.Manifest)
            corruptions.Add(new Corruption(path, 0, $"CURRENT names '{name}', which is not a manifest"));
        else if (!File.Exists(System.IO.Path.Combine(directory, name)))
            corruptions.Add(new Corruption(path, 0, $"CURRENT names {name}, which does not exist"));
        return name;
    }

    private static void CheckLiveTables(string directory, ManifestSummary manifest, List<Corruption> corruptions)
    {
        foreach (var level in manifest.LiveTables)
            foreach (var (number, size) in level)
            {
                string table = System.IO.Path.Combine(directory, FileNames.Table(number));
                if (!File.Exists(table))
                    corruptions.Add(new Corruption(manifest.File, 0, $"live table {FileNames.Table(number)} is missing"));
                else if (new FileInfo(table).Length != size)
                    corruptions.Add(new Corruption(table, 0, $"{new FileInfo(table).Length} bytes, but the manifest records {size}"));
            }
    }
}
