namespace TieredKv.Storage.IO;

/// <summary>
/// Test support: wraps a file system (the local one by default) and breaks operations by
/// <see cref="FaultRule"/> — full disk on append or create (optionally after a short write), failing
/// fsync, failing or corrupted reads — so tests can drive the engine through its error paths.
/// Rules can be added and cleared while the database runs. Thread-safe.
/// </summary>
public sealed class FaultInjectingFileSystem(IFileSystem? inner = null) : IFileSystem
{
    private readonly IFileSystem _inner = inner ?? new LocalFileSystem();
    private readonly Lock _lock = new();
    private readonly List<ArmedRule> _rules = [];
    private long _faultsInjected;

    /// <summary>Faults fired so far (throws, short writes and corrupted reads).</summary>
    public long FaultsInjected => Interlocked.Read(ref _faultsInjected);

    public FaultRule Add(FaultRule rule)
    {
        lock (_lock) _rules.Add(new ArmedRule(rule));
        return rule;
    }

    public void Remove(FaultRule rule)
    {
        lock (_lock) _rules.RemoveAll(r => ReferenceEquals(r.Rule, rule));
    }

    /// <summary>Removes every rule: the disk is healthy again.</summary>
    public void Clear()
    {
        lock (_lock) _rules.Clear();
    }

    public IWritableFile CreateWritable(string path)
    {
        ThrowIfFault(FaultOperation.Create, path);
        return new FaultyWritableFile(this, _inner.CreateWritable(path));
    }

    public IRandomAccessFile OpenRandomAccess(string path) => new FaultyRandomAccessFile(this, _inner.OpenRandomAccess(path));
    public IRandomAccessFile OpenImmutable(string path) => new FaultyRandomAccessFile(this, _inner.OpenImmutable(path));
    public bool FileExists(string path) => _inner.FileExists(path);
    public long GetFileLength(string path) => _inner.GetFileLength(path);
    public IReadOnlyList<string> ListFiles(string directory) => _inner.ListFiles(directory);
    public void CreateDirectory(string path) => _inner.CreateDirectory(path);
    public IDisposable LockFile(string path) => _inner.LockFile(path);

    public void DeleteFile(string path)
    {
        ThrowIfFault(FaultOperation.Delete, path);
        _inner.DeleteFile(path);
    }

    public void RenameFile(string from, string to)
    {
        ThrowIfFault(FaultOperation.Rename, to);
        _inner.RenameFile(from, to);
    }

    public void TruncateFile(string path, long length)
    {
        ThrowIfFault(FaultOperation.Truncate, path);
        _inner.TruncateFile(path, length);
    }

    public void SyncDirectory(string path)
    {
        ThrowIfFault(FaultOperation.SyncDirectory, path);
        _inner.SyncDirectory(path);
    }

    private void ThrowIfFault(FaultOperation operation, string path)
    {
        if (Fire(operation, path, 0, out _) is { } rule) throw Failure(rule, operation, path);
    }

    /// <summary>The rule that fires for this call, if any; for appends, <paramref name="allowed"/> is how many of the bytes get through first.</summary>
    private FaultRule? Fire(FaultOperation operation, string path, long bytes, out long allowed, long readOffset = 0, int readLength = 0)
    {
        allowed = bytes;
        lock (_lock)
        {
            foreach (var armed in _rules)
            {
                if (!armed.Rule.Matches(operation, path)) continue;
                // A read corrupting one offset fires only on reads that cover it.
                if (armed.Rule.CorruptFileOffset is { } at && (at < readOffset || at >= readOffset + readLength)) continue;
                armed.Calls++;
                if (armed.Calls <= armed.Rule.AfterCalls) continue;
                long room = armed.Rule.AfterBytes - armed.Bytes;
                armed.Bytes += bytes;
                if (room >= bytes && armed.Rule.AfterBytes > 0) continue;
                allowed = Math.Max(0, Math.Min(room, bytes));
                if (armed.Rule.Once) _rules.Remove(armed);
                Interlocked.Increment(ref _faultsInjected);
                return armed.Rule;
            }
        }
        return null;
    }

    private static IOException Failure(FaultRule rule, FaultOperation operation, string path) =>
        new($"{rule.Message} ({operation} of {Path.GetFileName(path)}, injected)");

    private sealed class ArmedRule(FaultRule rule)
    {
        public FaultRule Rule { get; } = rule;
        public int Calls { get; set; }
        public long Bytes { get; set; }
    }

    private sealed class FaultyWritableFile(FaultInjectingFileSystem fs, IWritableFile inner) : IWritableFile
    {
        public string Path => inner.Path;
        public long Length => inner.Length;

        public void Append(ReadOnlySpan<byte> data)
        {
            if (fs.Fire(FaultOperation.Append, Path, data.Length, out long allowed) is { } rule)
            {
                // A short write: what fit reaches the file (as the kernel keeps a partial write), then the error.
                if (allowed > 0)
                {
                    inner.Append(data[..(int)allowed]);
                    inner.Flush();
                }
                throw Failure(rule, FaultOperation.Append, Path);
            }
            inner.Append(data);
        }

        public void Flush() => inner.Flush();

        public void Sync()
        {
            // A failed fsync reports before anything is known durable.
            fs.ThrowIfFault(FaultOperation.Sync, Path);
            inner.Sync();
        }

        public void Dispose() => inner.Dispose();
    }

    private sealed class FaultyRandomAccessFile(FaultInjectingFileSystem fs, IRandomAccessFile inner) : IRandomAccessFile
    {
        public string Path => inner.Path;
        public long Length => inner.Length;

        public int Read(long offset, Span<byte> destination)
        {
            var rule = fs.Fire(FaultOperation.Read, Path, 0, out _, offset, destination.Length);
            if (rule is { CorruptInsteadOfThrow: false }) throw Failure(rule, FaultOperation.Read, Path);
            int n = inner.Read(offset, destination);
            if (rule != null && n > 0)
            {
                long at = rule.CorruptFileOffset ?? offset;
                if (at >= offset && at < offset + n) destination[(int)(at - offset)] ^= 0x10;
            }
            return n;
        }

        public void Dispose() => inner.Dispose();
    }
}
