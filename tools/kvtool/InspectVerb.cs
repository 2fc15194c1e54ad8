using System.CommandLine;
using TieredKv.Storage.Format;
using TieredKv.Storage.Inspection;

namespace TieredKv.Tools;

/// <summary><c>kvtool inspect &lt;file&gt;</c>: what an SSTable, WAL segment, MANIFEST or RDB file holds, read with the engine's (or the RDB) readers.</summary>
public static class InspectVerb
{
    public static Command Create(ToolConsole console)
    {
        var file = new Argument<FileInfo>("file") { Description = "An NNNNNN.sst, NNNNNN.wal or MANIFEST-NNNNNN file, or an RDB file (recognised by its REDIS magic)" };
        var command = new Command("inspect", "Summarize one file: SSTable entries, blocks, sizes, compression, key range and properties; WAL records, batches, sequences and torn tail; MANIFEST edits and live tables; RDB version, AUX fields, keys per type and database, expiries, value sizes, skipped keys and checksum. Exit 1 when the file is damaged.");
        command.Arguments.Add(file);
        command.SetAction(result => Run(console, result.GetValue(file)!));
        return command;
    }

    private static int Run(ToolConsole console, FileInfo file)
    {
        if (!file.Exists)
        {
            console.Error.WriteLine($"kvtool inspect: no file {file.FullName}");
            return KvTool.Failed;
        }
        if (RdbInspection.IsRdb(file)) return RdbInspection.Run(console, file);
        var kind = FileNames.Parse(file.Name, out _);
        if (kind == FileNames.Kind.Unknown && file.Extension == ".sst") kind = FileNames.Kind.Table;
        var output = console.Out;
        IReadOnlyList<Corruption> corruptions;
        switch (kind)
        {
            case FileNames.Kind.Table:
            {
                var progress = console.Progress("inspect", file.Length);
                var t = TableInspector.Inspect(file.FullName, done => progress.Update(done));
                progress.Finish();
                output.WriteLine($"sstable {file.Name}");
                output.WriteLine($"  file size         {t.FileSize} bytes ({Format.Bytes(t.FileSize)})");
                output.WriteLine($"  entries           {t.Entries} ({t.Deletions} deletions)");
                output.WriteLine($"  data blocks       {t.DataBlocks} ({t.CompressedBlocks} LZ4-compressed)");
                output.WriteLine($"  data bytes        {t.StoredDataBytes} stored, {t.UncompressedDataBytes} uncompressed, compression ratio {t.CompressionRatio:F2}");
                output.WriteLine($"  key/value bytes   {t.KeyBytes} / {t.ValueBytes}");
                output.WriteLine($"  index/filter/properties bytes {t.IndexBytes} / {t.FilterBytes} / {t.PropertiesBytes}");
                output.WriteLine(t.SmallestKey == null ? "  key range         (empty)" : $"  key range         {Format.Key(t.SmallestKey)} .. {Format.Key(t.LargestKey!)}");
                if (t.SmallestSequence != null) output.WriteLine($"  sequences         {t.SmallestSequence} .. {t.LargestSequence}");
                output.WriteLine("  properties");
                foreach (var (name, value) in t.Properties) output.WriteLine($"    {name,-20} {value}");
                corruptions = t.Corruptions;
                break;
            }
            case FileNames.Kind.Wal:
            {
                var progress = console.Progress("inspect", file.Length);
                var w = LogInspector.InspectWal(file.FullName, done => progress.Update(done));
                progress.Finish();
                output.WriteLine($"wal {file.Name}");
                output.WriteLine($"  file size         {w.FileSize} bytes ({Format.Bytes(w.FileSize)})");
                output.WriteLine($"  records           {w.Records} ({w.Batches} write batches)");
                output.WriteLine($"  operations        {w.Operations} ({w.Puts} puts, {w.Deletions} deletions, {w.RangeDeletions} range deletions)");
                output.WriteLine(w.FirstSequence == null ? "  sequences         (none)" : $"  sequences         {w.FirstSequence} .. {w.LastSequence}");
                output.WriteLine(w.TornTail == null ? "  torn tail         none" : $"  torn tail         at offset {w.TornTail.Offset}: {w.TornTail.Message}");
                corruptions = w.Corruptions;
                break;
            }
            case FileNames.Kind.Manifest:
            {
                var m = LogInspector.InspectManifest(file.FullName);
                output.WriteLine($"manifest {file.Name}");
                output.WriteLine($"  file size         {m.FileSize} bytes");
                output.WriteLine($"  edits             {m.Edits}");
                output.WriteLine($"  tables            {m.TablesAdded} added, {m.TablesDeleted} deleted");
                output.WriteLine($"  range tombstones  {m.RangeTombstonesAdded} added, {m.RangeTombstonesRemoved} retired");
                output.WriteLine($"  log number        {m.LogNumber?.ToString() ?? "-"}");
                output.WriteLine($"  next file number  {m.NextFileNumber?.ToString() ?? "-"}");
                output.WriteLine($"  last sequence     {m.LastSequence?.ToString() ?? "-"}");
                for (int level = 0; level < m.LiveTables.Count; level++)
                {
                    var tables = m.LiveTables[level];
                    if (tables.Count == 0) continue;
                    output.WriteLine($"  L{level}                {tables.Count} tables, {Format.Bytes(tables.Sum(t => t.Size))}: {string.Join(' ', tables.Select(t => t.Number))}");
                }
                output.WriteLine(m.TornTail == null ? "  torn tail         none" : $"  torn tail         at offset {m.TornTail.Offset}: {m.TornTail.Message}");
                corruptions = m.Corruptions;
                break;
            }
            default:
                console.Error.WriteLine($"kvtool inspect: {file.Name} is not a file kvtool knows (NNNNNN.sst, NNNNNN.wal, MANIFEST-NNNNNN, an RDB file)");
                return KvTool.Failed;
        }
        foreach (var c in corruptions) output.WriteLine($"CORRUPTION {c.File} offset {c.Offset}: {c.Message}");
        return corruptions.Count == 0 ? KvTool.Ok : KvTool.DamageFound;
    }
}
