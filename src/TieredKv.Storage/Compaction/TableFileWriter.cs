using TieredKv.Storage.Format;
using TieredKv.Storage.IO;
using TieredKv.Storage.Manifest;
using TieredKv.Storage.Table;

namespace TieredKv.Storage.Compaction;

/// <summary>
/// Creates numbered table files for flushes and compactions, and remembers the ones still being
/// written so that obsolete-file cleanup leaves them alone until the manifest records them.
/// </summary>
internal sealed class TableFileWriter(string directory, IFileSystem fs, TableBuilderOptions builderOptions, VersionSet versions)
{
    private readonly IFileSystem _fs = fs;
    private readonly TableBuilderOptions _builderOptions = builderOptions;
    private readonly HashSet<ulong> _pending = [];
    private readonly Lock _lock = new();

    /// <summary>A table being written.</summary>
    public sealed class Output(ulong number, IWritableFile file, TableBuilder builder)
    {
        public ulong Number { get; } = number;
        public IWritableFile File { get; } = file;
        public TableBuilder Builder { get; } = builder;
    }

    public Output Start()
    {
        ulong number = versions.NewFileNumber();
        lock (_lock) _pending.Add(number);
        var file = _fs.CreateWritable(PathOf(number));
        return new Output(number, file, new TableBuilder(file, _builderOptions));
    }

    /// <summary>Completes the table and makes it durable; it stays pending until <see cref="Release"/>.</summary>
    public FileMetaData Finish(Output output, ulong tombstoneHorizon)
    {
        var b = output.Builder;
        b.Finish();
        output.File.Sync();
        output.File.Dispose();
        var p = b.Properties ?? throw new InvalidOperationException("table builder finished without properties");
        return new FileMetaData
        {
            Number = output.Number,
            Size = _fs.GetFileLength(PathOf(output.Number)),
            Smallest = b.SmallestKey!,
            Largest = b.LargestKey!,
            SmallestSequence = p.SmallestSequence,
            LargestSequence = p.LargestSequence,
            EntryCount = (long)p.EntryCount,
            DeletionCount = (long)p.DeletionCount,
            TombstoneHorizon = tombstoneHorizon,
        };
    }

    public void Abandon(Output output)
    {
        output.Builder.Abandon();
        output.File.Dispose();
        Delete(output.Number);
    }

    public void Delete(ulong number)
    {
        try { _fs.DeleteFile(PathOf(number)); }
        catch (IOException) { /* cleanup retries obsolete files later */ }
        Release(number);
    }

    /// <summary>The table is recorded in the manifest (or abandoned): normal liveness rules apply again.</summary>
    public void Release(ulong number)
    {
        lock (_lock) _pending.Remove(number);
    }

    public bool IsPending(ulong number)
    {
        lock (_lock) return _pending.Contains(number);
    }

    private string PathOf(ulong number) => Path.Combine(directory, FileNames.Table(number));
}
