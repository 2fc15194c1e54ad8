using TieredKv.Storage.IO;

namespace TieredKv.Storage.Tests.IO;

/// <summary>
/// The local file system whose WAL fsyncs wait at a gate the test opens: lets a test hold an fsync "in
/// flight" and see what the engine does meanwhile. Counts the fsyncs that got through.
/// </summary>
internal sealed class GatedSyncFileSystem : DelegatingFileSystem
{
    private readonly ManualResetEventSlim _gate = new(initialState: true);
    private readonly SemaphoreSlim _arrived = new(0);
    private int _syncs;

    public int WalSyncs => Volatile.Read(ref _syncs);

    /// <summary>From now on, WAL fsyncs wait until <see cref="Open"/>.</summary>
    public void Close() => _gate.Reset();

    public void Open() => _gate.Set();

    /// <summary>Waits until a WAL fsync has reached the closed gate.</summary>
    public bool WaitForSyncAtGate(TimeSpan timeout) => _arrived.Wait(timeout);

    public override IWritableFile CreateWritable(string path)
    {
        var file = Inner.CreateWritable(path);
        return path.EndsWith(".wal", StringComparison.Ordinal) ? new GatedFile(this, file) : file;
    }

    private sealed class GatedFile(GatedSyncFileSystem fs, IWritableFile inner) : IWritableFile
    {
        public string Path => inner.Path;
        public long Length => inner.Length;
        public void Append(ReadOnlySpan<byte> data) => inner.Append(data);
        public void Flush() => inner.Flush();

        public void Sync()
        {
            if (!fs._gate.IsSet) fs._arrived.Release();
            fs._gate.Wait();
            inner.Sync();
            Interlocked.Increment(ref fs._syncs);
        }

        public void Dispose() => inner.Dispose();
    }
}
