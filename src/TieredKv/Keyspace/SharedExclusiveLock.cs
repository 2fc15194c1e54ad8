namespace TieredKv.Keyspace;

/// <summary>
/// A reader-writer lock for the case "every operation shares, a rare one (FLUSHDB, EXEC) excludes":
/// entering shared mode is one interlocked increment, with no internal lock for readers to fight
/// over (ReaderWriterLockSlim's spin lock made busy servers yield the CPU on every command).
/// Not reentrant. Writers wait for readers to drain; readers wait while a writer holds or waits.
/// </summary>
public sealed class SharedExclusiveLock
{
    private int _readers;
    private int _writer; // 1 while a writer holds the lock or waits for readers to leave
    private readonly Lock _writers = new();

    public void EnterReadLock()
    {
        var spin = new SpinWait();
        while (true)
        {
            while (Volatile.Read(ref _writer) != 0) spin.SpinOnce();
            Interlocked.Increment(ref _readers);
            if (Volatile.Read(ref _writer) == 0) return;
            Interlocked.Decrement(ref _readers); // a writer came in between: let it go first
        }
    }

    public void ExitReadLock() => Interlocked.Decrement(ref _readers);

    public void EnterWriteLock()
    {
        _writers.Enter();
        Interlocked.Exchange(ref _writer, 1); // a full fence: readers that come later see it
        var spin = new SpinWait();
        while (Volatile.Read(ref _readers) != 0) spin.SpinOnce();
    }

    public void ExitWriteLock()
    {
        Volatile.Write(ref _writer, 0);
        _writers.Exit();
    }
}
