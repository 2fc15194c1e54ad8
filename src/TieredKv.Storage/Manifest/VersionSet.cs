using System.Text;
using Microsoft.Extensions.Logging;
using TieredKv.Storage.Format;
using TieredKv.Storage.IO;
using TieredKv.Storage.Util;
using TieredKv.Storage.Log;

namespace TieredKv.Storage.Manifest;

/// <summary>
/// Owns the current <see cref="Version"/> and the MANIFEST that records how it came to be.
/// Every change goes through <see cref="LogAndApply"/>: the edit is appended and fsynced before
/// the new version is installed, so a crash at any moment leaves either the old or the new set
/// of files — never a mix. Callers serialize LogAndApply (the database holds its mutex).
/// </summary>
public sealed class VersionSet : IDisposable
{
    /// <summary>Past this size the manifest is rewritten as one snapshot edit in a new file.</summary>
    private const long MaxManifestBytes = 64L << 20;

    private readonly string _directory;
    private readonly LevelSizing _levels;
    private readonly IFileSystem _fs;
    private readonly ILogger _logger;
    private readonly HashSet<Version> _liveVersions = [];
    private readonly Lock _liveLock = new();
    private readonly byte[]?[] _compactPointers;
    private LogWriter? _manifest;
    private bool _manifestFailed;
    private bool _namesPendingSync; // a name in the directory is not known durable (a failed directory fsync)
    private long _nextFileNumber = 2;

    internal VersionSet(string directory, IFileSystem fs, LevelSizing levels, ILogger logger)
    {
        _directory = directory;
        _levels = levels;
        _fs = fs;
        _logger = logger;
        _compactPointers = new byte[]?[levels.NumLevels];
        Current = Install(new VersionBuilder(levels.NumLevels, null));
    }

    public Version Current { get; private set; }

    /// <summary>WAL segments numbered below this hold only data that is already in tables.</summary>
    public ulong LogNumber { get; private set; }

    /// <summary>The last sequence number recorded in the manifest (the database's may be later, from the WAL).</summary>
    public ulong LastSequence { get; set; }

    public ulong ManifestNumber { get; private set; }

    public ulong NextFileNumber => (ulong)Interlocked.Read(ref _nextFileNumber);

    public ulong NewFileNumber() => (ulong)Interlocked.Increment(ref _nextFileNumber) - 1;

    /// <summary>Makes sure file numbers below <paramref name="number"/> are never handed out again.</summary>
    public void MarkFileNumberUsed(ulong number)
    {
        long wanted = (long)number + 1;
        long seen;
        while ((seen = Interlocked.Read(ref _nextFileNumber)) < wanted)
            Interlocked.CompareExchange(ref _nextFileNumber, wanted, seen);
    }

    public byte[]? CompactPointer(int level) => _compactPointers[level];

    /// <summary>Starts an empty database: a first manifest and CURRENT.</summary>
    public void CreateNew()
    {
        LogNumber = 0;
        StartNewManifest();
    }

    /// <summary>
    /// Loads the state recorded by CURRENT's manifest and checks that every table it names is on disk with
    /// the recorded size. Writes nothing: call <see cref="StartNewManifest"/> once the rest of recovery has
    /// succeeded, so that a failed open leaves the directory as it found it.
    /// </summary>
    /// <param name="mode"><see cref="WalRecoveryMode.Salvage"/> leaves out tables that are missing or of the
    /// wrong size (and returns them); <see cref="WalRecoveryMode.Strict"/> refuses to open.</param>
    /// <returns>The tables left out (empty under Strict).</returns>
    /// <exception cref="CorruptionException">CURRENT or the manifest is damaged, or (Strict) a table it names is missing or of the wrong size.</exception>
    public IReadOnlyList<LostTable> Recover(WalRecoveryMode mode)
    {
        string currentPath = Path.Combine(_directory, FileNames.Current);
        string manifestName = ReadCurrent(currentPath);
        string manifestPath = Path.Combine(_directory, manifestName);
        if (FileNames.Parse(manifestName, out ulong manifestNumber) != FileNames.Kind.Manifest)
            throw new CorruptionException(currentPath, 0, $"CURRENT names '{manifestName}', which is not a manifest");
        if (!_fs.FileExists(manifestPath))
            throw new CorruptionException(currentPath, 0, $"CURRENT names {manifestName}, which does not exist");

        var builder = new VersionBuilder(_levels.NumLevels, null);
        var recordedAt = new Dictionary<ulong, long>(); // table number → offset of the edit that added it
        ulong? logNumber = null, nextFile = null, lastSeq = null;
        int edits = 0;
        foreach (var (payload, offset) in ManifestRecords(manifestPath))
        {
            VersionEdit edit;
            try
            {
                edit = VersionEdit.Decode(payload);
                builder.Apply(edit);
            }
            catch (FormatException e)
            {
                throw new CorruptionException(manifestPath, offset, e.Message);
            }
            edits++;
            foreach (var (_, f) in edit.NewFiles) recordedAt[f.Number] = offset;
            logNumber = edit.LogNumber ?? logNumber;
            nextFile = edit.NextFileNumber ?? nextFile;
            lastSeq = edit.LastSequence ?? lastSeq;
            foreach (var (level, key) in edit.CompactPointers)
                if (level < _compactPointers.Length) _compactPointers[level] = key;
        }
        if (nextFile == null || lastSeq == null || logNumber == null)
            throw new CorruptionException(manifestPath, 0, "manifest lacks the next-file number, last sequence or log number");

        var lost = FindLostTables(builder, manifestPath, recordedAt);
        if (lost.Count > 0 && mode == WalRecoveryMode.Strict)
        {
            var first = lost[0];
            throw new CorruptionException(manifestPath, recordedAt.GetValueOrDefault(first.Number),
                $"{first}{(lost.Count > 1 ? $", and {lost.Count - 1} more tables are missing or of the wrong size" : "")}; " +
                "nothing was changed (open with WalRecoveryMode.Salvage to open without them)");
        }
        if (lost.Count > 0)
        {
            var leaveOut = new VersionEdit();
            foreach (var t in lost) leaveOut.DeleteFile(t.Level, t.Number);
            builder.Apply(leaveOut);
            foreach (var t in lost) _logger.LogError("salvage: opening without {Table}", t);
        }

        LogNumber = logNumber.Value;
        LastSequence = lastSeq.Value;
        MarkFileNumberUsed(nextFile.Value - 1);
        MarkFileNumberUsed(manifestNumber);
        var previous = Current;
        Current = Install(builder);
        previous.Unref();
        _logger.LogInformation("recovered {Manifest}: {Edits} edits, log #{Log}, last sequence {Seq}", manifestName, edits, LogNumber, LastSequence);
        return lost;
    }

    /// <summary>Tables of the recovered version that are not on disk with the size their edit recorded.</summary>
    private List<LostTable> FindLostTables(VersionBuilder builder, string manifestPath, Dictionary<ulong, long> recordedAt)
    {
        var lost = new List<LostTable>();
        var (levels, _) = builder.Build();
        for (int level = 0; level < levels.Length; level++)
        {
            foreach (var f in levels[level])
            {
                string path = Path.Combine(_directory, FileNames.Table(f.Number));
                long? found = _fs.FileExists(path) ? _fs.GetFileLength(path) : null;
                if (found == f.Size) continue;
                lost.Add(new LostTable
                {
                    Number = f.Number,
                    Level = level,
                    RecordedSize = f.Size,
                    FoundSize = found,
                    SmallestUserKey = f.SmallestUserKey.ToArray(),
                    LargestUserKey = f.LargestUserKey.ToArray(),
                    EntryCount = f.EntryCount,
                    RecordedBy = $"{Path.GetFileName(manifestPath)} offset {recordedAt.GetValueOrDefault(f.Number)}",
                });
            }
        }
        return lost;
    }

    /// <summary>Records <paramref name="edit"/> durably, then makes the resulting version current.</summary>
    public void LogAndApply(VersionEdit edit)
    {
        if (edit.LogNumber is { } log && log < LogNumber)
            throw new InvalidOperationException($"log number moving backwards ({log} < {LogNumber})");
        edit.NextFileNumber = NextFileNumber;
        edit.LastSequence = LastSequence;

        var builder = new VersionBuilder(_levels.NumLevels, Current);
        builder.Apply(edit);

        // After a failed append the manifest may end in a partial edit, or in a whole edit that was
        // reported as failed: never append after it. A new manifest starts from the current version,
        // so the failed edit — and any table only it names — is forgotten once CURRENT points there.
        if (_manifestFailed)
        {
            StartNewManifest();
            _manifestFailed = false;
            _logger.LogInformation("started a new manifest after a failed manifest write");
        }
        var manifest = _manifest ?? throw new InvalidOperationException("version set neither created nor recovered");
        // A new table's data was fsynced when it was finished, but its name is durable only once the
        // directory is: the edit naming it must not become durable before the name does. The same holds
        // for the manifest's own name after a directory fsync failed at its start.
        if (_namesPendingSync || NamesNewTables(edit))
        {
            _fs.SyncDirectory(_directory);
            _namesPendingSync = false;
        }
        var buffer = new ByteBuffer();
        edit.EncodeTo(buffer);
        try
        {
            manifest.AddRecord(buffer.Span);
            manifest.Commit(sync: true);
        }
        catch (IOException)
        {
            _manifestFailed = true;
            throw;
        }
        Commit(edit, builder);

        // Rolling after the edit is durable in the old manifest: a failed roll loses nothing.
        if (manifest.Length > MaxManifestBytes) StartNewManifest();
    }

    /// <summary>True when the edit adds a table that is not a move of one it deletes from another level.</summary>
    private static bool NamesNewTables(VersionEdit edit) =>
        edit.NewFiles.Exists(added => !edit.DeletedFiles.Any(deleted => deleted.Number == added.File.Number));

    private void Commit(VersionEdit edit, VersionBuilder builder)
    {
        if (edit.LogNumber is { } log) LogNumber = log;
        foreach (var (level, key) in edit.CompactPointers) _compactPointers[level] = key;
        var previous = Current;
        Current = Install(builder);
        previous.Unref();
    }

    /// <summary>Every table number referenced by a version that someone still reads.</summary>
    public HashSet<ulong> LiveFiles()
    {
        var live = new HashSet<ulong>();
        lock (_liveLock)
        {
            foreach (var v in _liveVersions)
                foreach (var level in v.Levels)
                    foreach (var f in level)
                        live.Add(f.Number);
        }
        return live;
    }

    internal void OnVersionReleased(Version version)
    {
        lock (_liveLock) _liveVersions.Remove(version);
    }

    private Version Install(VersionBuilder builder)
    {
        var (levels, tombstones) = builder.Build();
        var version = new Version(this, levels, tombstones);
        ScoreCompaction(version);
        version.Ref(); // the version set's own reference while it is current
        lock (_liveLock) _liveVersions.Add(version);
        return version;
    }

    /// <summary>L0 is scored by file count (many small overlapping files hurt reads); deeper levels by bytes.</summary>
    private void ScoreCompaction(Version v)
    {
        int bestLevel = -1;
        double bestScore = 0;
        for (int level = 0; level < v.NumLevels - 1; level++)
        {
            double score = level == 0
                ? v.Levels[0].Count / (double)_levels.L0CompactionTrigger
                : v.LevelBytes(level) / (double)MaxBytesForLevel(level);
            if (score > bestScore)
            {
                bestScore = score;
                bestLevel = level;
            }
        }
        v.CompactionLevel = bestLevel;
        v.CompactionScore = bestScore;
    }

    public long MaxBytesForLevel(int level)
    {
        double bytes = _levels.MaxBytesForLevelBase;
        for (int l = 1; l < level; l++) bytes *= _levels.LevelSizeMultiplier;
        return (long)bytes;
    }

    /// <summary>
    /// Writes the current version as the single edit of a new manifest and points CURRENT at it; the
    /// directory fsync that makes CURRENT's rename durable makes the new manifest's name durable too.
    /// </summary>
    public void StartNewManifest()
    {
        ulong number = NewFileNumber();
        string name = FileNames.Manifest(number);
        string path = Path.Combine(_directory, name);
        string currentPath = Path.Combine(_directory, FileNames.Current);
        var writer = new LogWriter(_fs.CreateWritable(path));
        string? temp = null;
        bool switched = false;
        try
        {
            var snapshot = new VersionEdit { LogNumber = LogNumber, NextFileNumber = NextFileNumber, LastSequence = LastSequence };
            for (int level = 0; level < Current.NumLevels; level++)
            {
                foreach (var f in Current.Levels[level]) snapshot.AddFile(level, f);
                if (_compactPointers[level] is { } key) snapshot.CompactPointers.Add((level, key));
            }
            snapshot.AddedRangeTombstones.AddRange(Current.RangeTombstones);
            var buffer = new ByteBuffer();
            snapshot.EncodeTo(buffer);
            writer.AddRecord(buffer.Span);
            writer.Commit(sync: true);

            // CURRENT is replaced atomically: a temp file, fsynced, renamed over it.
            temp = Path.Combine(_directory, FileNames.Temp(NewFileNumber()));
            using (var file = _fs.CreateWritable(temp))
            {
                file.Append(Encoding.ASCII.GetBytes(name + "\n"));
                file.Sync();
            }
            _fs.RenameFile(temp, currentPath);
            switched = true;
            _namesPendingSync = true;
            _fs.SyncDirectory(_directory);
            _namesPendingSync = false;
        }
        catch
        {
            if (!switched)
            {
                writer.Dispose();
                _fs.TryDelete(path, _logger);
                if (temp != null) _fs.TryDelete(temp, _logger);
                throw;
            }
            // CURRENT already names the new manifest: edits must go there from now on (the next edit
            // retries the directory fsync before it counts on the name), or they would be lost at a restart.
            Adopt(writer, number);
            throw;
        }
        Adopt(writer, number);
    }

    private void Adopt(LogWriter manifest, ulong number)
    {
        _manifest?.Dispose();
        _manifest = manifest;
        ManifestNumber = number;
    }

    private string ReadCurrent(string currentPath)
    {
        using var file = _fs.OpenRandomAccess(currentPath);
        if (file.Length is 0 or > 256) throw new CorruptionException(currentPath, 0, $"CURRENT has {file.Length} bytes");
        var bytes = new byte[file.Length];
        file.Read(0, bytes);
        string text = Encoding.ASCII.GetString(bytes);
        if (!text.EndsWith('\n')) throw new CorruptionException(currentPath, bytes.Length, "CURRENT does not end with a newline");
        return text.TrimEnd('\n');
    }

    /// <summary>The manifest's records; a torn last record (crash during an append) is ignored, damage before it is corruption.</summary>
    private List<(byte[] Payload, long Offset)> ManifestRecords(string path)
    {
        var records = new List<(byte[], long)>();
        using var file = _fs.OpenRandomAccess(path);
        var reader = new LogReader(file);
        while (true)
        {
            switch (reader.ReadNext())
            {
                case LogReadStatus.Record:
                    records.Add((reader.Payload.ToArray(), reader.RecordOffset));
                    break;
                case LogReadStatus.EndOfFile:
                    return records;
                case LogReadStatus.TornTail:
                    // An edit is only acted on once it is durable, so a torn last edit was never applied.
                    _logger.LogWarning("ignoring torn last record of {Manifest} at offset {Offset}: {Reason}", Path.GetFileName(path), reader.Damage.Offset, reader.Damage.Reason);
                    return records;
                default:
                    throw new CorruptionException(path, reader.Damage.Offset, reader.Damage.Reason);
            }
        }
    }

    public void Dispose()
    {
        _manifest?.Dispose();
        _manifest = null;
    }
}
