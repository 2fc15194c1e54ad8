namespace TieredKv.Storage.IO;

/// <summary>
/// Test support: an in-memory file system in the strict POSIX crash model that LevelDB, RocksDB and
/// SQLite code against (and LazyFS implements). A file's data is durable only after its
/// <see cref="IWritableFile.Sync"/>; a created, renamed or deleted name — files and directories alike —
/// only after <see cref="SyncDirectory"/> of the directory holding it. <see cref="CutPower"/> ends this
/// instance (every later call on it or its open files throws) and returns the machine after the reboot:
/// only what was durable, with unsynced data dropped and unsynced name changes undone.
/// </summary>
/// <remarks>
/// Paths are virtual (nothing touches the disk); the root directory always exists. Every mutating call
/// (create, append, flush, sync, rename, delete, truncate, directory create or sync) counts as one
/// <see cref="Operations"/> step, so a test can cut power at any step with <see cref="CutPowerAt"/>.
/// Thread-safe.
/// </remarks>
public sealed class PowerCutFileSystem : IFileSystem
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, Dir> _dirs = new(StringComparer.Ordinal);
    private readonly HashSet<string> _locks = new(StringComparer.Ordinal);
    private long _operations;
    private long _cutAt = long.MaxValue;
    private bool _poweredOff;

    public PowerCutFileSystem() => _dirs[Root] = new Dir();

    private const string Root = "/";

    /// <summary>Mutating calls so far, the one that cut the power included.</summary>
    public long Operations
    {
        get { lock (_lock) return _operations; }
    }

    /// <summary>True once the power is off: every call on this instance throws.</summary>
    public bool PoweredOff
    {
        get { lock (_lock) return _poweredOff; }
    }

    /// <summary>The power goes off at mutating call number <paramref name="operation"/> (counted from 1): that call and all later ones fail.</summary>
    public void CutPowerAt(long operation)
    {
        lock (_lock) _cutAt = operation;
    }

    /// <summary>
    /// Cuts the power now (if it is still on) and returns the file system as the machine finds it after the
    /// reboot. With <paramref name="keepUnsyncedPrefix"/>, each file also keeps a random prefix of its unsynced
    /// data, as a disk that wrote some pages before the cut would (torn tails); otherwise all of it is dropped.
    /// </summary>
    public PowerCutFileSystem CutPower(Random? keepUnsyncedPrefix = null)
    {
        var rebooted = new PowerCutFileSystem();
        lock (_lock)
        {
            _poweredOff = true;
            var inodes = new Dictionary<Inode, Inode>(ReferenceEqualityComparer.Instance);
            CopyDurable(Root, rebooted, inodes, keepUnsyncedPrefix);
        }
        return rebooted;
    }

    private void CopyDurable(string path, PowerCutFileSystem target, Dictionary<Inode, Inode> inodes, Random? keepUnsyncedPrefix)
    {
        var dir = _dirs[path];
        var copy = target._dirs[path];
        foreach (var (name, inode) in dir.DurableFiles)
        {
            // Hard links are not modelled, but one inode under two durable names (a rename not yet synced
            // in a second directory) stays one inode.
            if (!inodes.TryGetValue(inode, out var survived))
            {
                survived = inode.Survivor(keepUnsyncedPrefix);
                inodes[inode] = survived;
            }
            copy.Files[name] = survived;
            copy.DurableFiles[name] = survived;
        }
        foreach (string name in dir.DurableSubdirs)
        {
            string child = Combine(path, name);
            target._dirs[child] = new Dir();
            copy.Subdirs.Add(name);
            copy.DurableSubdirs.Add(name);
            CopyDurable(child, target, inodes, keepUnsyncedPrefix);
        }
    }

    // ---------------------------------------------------------------- IFileSystem

    public IWritableFile CreateWritable(string path)
    {
        lock (_lock)
        {
            Step();
            var (dir, name) = Parent(path);
            // An existing name is truncated in place (O_TRUNC): same inode, old data durable until a sync.
            if (dir.Files.TryGetValue(name, out var inode)) inode.Truncate(0);
            else dir.Files[name] = inode = new Inode();
            return new WritableFile(this, Normalize(path), inode);
        }
    }

    public IRandomAccessFile OpenRandomAccess(string path)
    {
        lock (_lock)
        {
            ThrowIfOff();
            return new RandomAccessFile(this, Normalize(path), Find(path));
        }
    }

    public bool FileExists(string path)
    {
        lock (_lock)
        {
            ThrowIfOff();
            var (dir, name) = TryParent(path);
            return dir != null && dir.Files.ContainsKey(name);
        }
    }

    public long GetFileLength(string path)
    {
        lock (_lock)
        {
            ThrowIfOff();
            return Find(path).Length;
        }
    }

    public void DeleteFile(string path)
    {
        lock (_lock)
        {
            Step();
            var (dir, name) = TryParent(path);
            dir?.Files.Remove(name); // as File.Delete: a missing file is not an error
        }
    }

    public void RenameFile(string from, string to)
    {
        lock (_lock)
        {
            Step();
            var inode = Find(from);
            var (fromDir, fromName) = Parent(from);
            var (toDir, toName) = Parent(to);
            fromDir.Files.Remove(fromName);
            toDir.Files[toName] = inode;
        }
    }

    public void TruncateFile(string path, long length)
    {
        lock (_lock)
        {
            Step();
            var inode = Find(path);
            inode.Truncate(length);
            inode.Sync(); // the contract: the cut is durable when this returns
        }
    }

    public IReadOnlyList<string> ListFiles(string directory)
    {
        lock (_lock)
        {
            ThrowIfOff();
            return _dirs.TryGetValue(Normalize(directory), out var dir)
                ? dir.Files.Keys.ToList()
                : throw new DirectoryNotFoundException($"no directory {directory}");
        }
    }

    public void CreateDirectory(string path)
    {
        lock (_lock)
        {
            string full = Normalize(path);
            if (_dirs.ContainsKey(full)) return;
            Step();
            CreateDirectoryUnlocked(full);
        }
    }

    private void CreateDirectoryUnlocked(string full)
    {
        string parent = ParentPath(full);
        if (!_dirs.ContainsKey(parent)) CreateDirectoryUnlocked(parent);
        _dirs[full] = new Dir();
        _dirs[parent].Subdirs.Add(Path.GetFileName(full));
    }

    public void SyncDirectory(string path)
    {
        lock (_lock)
        {
            Step();
            if (!_dirs.TryGetValue(Normalize(path), out var dir)) throw new DirectoryNotFoundException($"no directory {path}");
            dir.DurableFiles = new Dictionary<string, Inode>(dir.Files, StringComparer.Ordinal);
            dir.DurableSubdirs = new HashSet<string>(dir.Subdirs, StringComparer.Ordinal);
        }
    }

    public IDisposable LockFile(string path)
    {
        lock (_lock)
        {
            Step();
            string full = Normalize(path);
            if (!_locks.Add(full)) throw new IOException($"cannot lock {path}: is another process using this database?");
            var (dir, name) = Parent(path);
            if (!dir.Files.ContainsKey(name)) dir.Files[name] = new Inode();
            return new FileLock(this, full);
        }
    }

    // ---------------------------------------------------------------- internals

    /// <summary>One mutating call: counts it, and cuts the power when it is the chosen one. Caller holds the lock.</summary>
    private void Step()
    {
        ThrowIfOff();
        _operations++;
        if (_operations < _cutAt) return;
        _poweredOff = true;
        throw PowerIsOff();
    }

    private void ThrowIfOff()
    {
        if (_poweredOff) throw PowerIsOff();
    }

    private static IOException PowerIsOff() => new("the power is off (simulated power cut)");

    private Inode Find(string path)
    {
        var (dir, name) = TryParent(path);
        return dir != null && dir.Files.TryGetValue(name, out var inode)
            ? inode
            : throw new FileNotFoundException($"no file {path}", path);
    }

    private (Dir Dir, string Name) Parent(string path) =>
        TryParent(path) is ({ } dir, var name) ? (dir, name) : throw new DirectoryNotFoundException($"no directory for {path}");

    private (Dir? Dir, string Name) TryParent(string path)
    {
        string full = Normalize(path);
        return (_dirs.GetValueOrDefault(ParentPath(full)), Path.GetFileName(full));
    }

    private static string Normalize(string path) => Path.TrimEndingDirectorySeparator(Path.GetFullPath(path, Root));

    private static string ParentPath(string full) => Path.GetDirectoryName(full) ?? Root;

    private static string Combine(string dir, string name) => dir == Root ? Root + name : dir + "/" + name;

    /// <summary>A directory: the names it holds now, and the names a power cut would leave.</summary>
    private sealed class Dir
    {
        public Dictionary<string, Inode> Files { get; } = new(StringComparer.Ordinal);
        public HashSet<string> Subdirs { get; } = new(StringComparer.Ordinal);
        public Dictionary<string, Inode> DurableFiles { get; set; } = new(StringComparer.Ordinal);
        public HashSet<string> DurableSubdirs { get; set; } = new(StringComparer.Ordinal);
    }

    /// <summary>
    /// A file's bytes now and the bytes a power cut would leave. Appends never overwrite bytes below the
    /// length, so the durable image can share the live array; a truncation copies before it shrinks.
    /// </summary>
    private sealed class Inode
    {
        private byte[] _data = [];
        private byte[] _durable = [];
        private long _durableLength;

        public long Length { get; private set; }

        public void Write(long offset, ReadOnlySpan<byte> bytes)
        {
            if (offset != Length) throw new InvalidOperationException("files are written from start to end");
            long end = Length + bytes.Length;
            if (end > _data.Length)
            {
                var grown = new byte[Math.Max(end, Math.Max(4096, _data.Length * 2L))];
                _data.AsSpan(0, (int)Length).CopyTo(grown);
                _data = grown;
            }
            bytes.CopyTo(_data.AsSpan((int)Length));
            Length = end;
        }

        public int Read(long offset, Span<byte> destination, long limit)
        {
            long end = Math.Min(limit, Length);
            if (offset >= end) return 0;
            int n = (int)Math.Min(destination.Length, end - offset);
            _data.AsSpan((int)offset, n).CopyTo(destination);
            return n;
        }

        public void Truncate(long length)
        {
            if (length > Length) throw new InvalidOperationException("truncation only shortens");
            // A fresh array: the durable image may share the old one and must keep its bytes.
            var copy = new byte[Math.Max(length, 4096)];
            _data.AsSpan(0, (int)length).CopyTo(copy);
            _data = copy;
            Length = length;
        }

        public void Sync()
        {
            _durable = _data;
            _durableLength = Length;
        }

        /// <summary>The file after the reboot: its durable bytes, and perhaps a prefix of the rest.</summary>
        public Inode Survivor(Random? keepUnsyncedPrefix)
        {
            var survivor = new Inode();
            survivor.Write(0, _durable.AsSpan(0, (int)_durableLength));
            // The unsynced bytes are those past the durable length, when the live image still begins with the durable one.
            bool appendedSinceSync = Length > _durableLength
                && (ReferenceEquals(_data, _durable) || _data.AsSpan(0, (int)_durableLength).SequenceEqual(_durable.AsSpan(0, (int)_durableLength)));
            if (keepUnsyncedPrefix != null && appendedSinceSync)
            {
                long extra = keepUnsyncedPrefix.NextInt64(Length - _durableLength + 1);
                survivor.Write(_durableLength, _data.AsSpan((int)_durableLength, (int)extra));
            }
            survivor.Sync();
            return survivor;
        }
    }

    private sealed class WritableFile(PowerCutFileSystem fs, string path, Inode inode) : IWritableFile
    {
        public string Path => path;

        public long Length
        {
            get { lock (fs._lock) return inode.Length; }
        }

        public void Append(ReadOnlySpan<byte> data)
        {
            lock (fs._lock)
            {
                fs.Step();
                inode.Write(inode.Length, data);
            }
        }

        public void Flush()
        {
            lock (fs._lock) fs.Step();
        }

        public void Sync()
        {
            lock (fs._lock)
            {
                fs.Step();
                inode.Sync();
            }
        }

        public void Dispose() { }
    }

    private sealed class RandomAccessFile(PowerCutFileSystem fs, string path, Inode inode) : IRandomAccessFile
    {
        // As an open file on disk: the length it had when opened (readers never see later appends through it).
        private readonly long _length = inode.Length;

        public string Path => path;
        public long Length => _length;

        public int Read(long offset, Span<byte> destination)
        {
            lock (fs._lock)
            {
                fs.ThrowIfOff();
                return inode.Read(offset, destination, _length);
            }
        }

        public void Dispose() { }
    }

    private sealed class FileLock(PowerCutFileSystem fs, string path) : IDisposable
    {
        public void Dispose()
        {
            lock (fs._lock) fs._locks.Remove(path);
        }
    }
}
