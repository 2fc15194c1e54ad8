using TieredKv.Storage.Wal;

namespace TieredKv.Storage;

/// <summary>
/// Making deferred writes durable: handing the WAL's pending records to the OS, the group fsync under
/// Always (one fsync for everyone who arrived while the previous one was in flight, taken outside the
/// append lock so writers keep appending meanwhile), the asynchronous wait a server uses so no thread
/// sleeps on the disk, and the once-a-second fsync of EverySec.
/// </summary>
public sealed partial class Db
{
    /// <summary>The fsync policy in force: <see cref="DbOptions.WalSync"/> until <see cref="SetWalSync"/> changes it.</summary>
    public WalSyncPolicy WalSync => _walSync;

    /// <summary>
    /// Changes the fsync policy while open (Redis's CONFIG SET appendfsync). Switching to Always first fsyncs every
    /// record written so far, so that once this returns every acknowledged write is on disk and every later one is
    /// fsynced before its acknowledgement. Writers read the policy under the WAL write lock, the once-a-second
    /// fsync under the group-commit lock: both are held here while it changes.
    /// </summary>
    public void SetWalSync(WalSyncPolicy policy)
    {
        lock (_syncLock)
        {
            WalSyncPolicy previous;
            lock (_walWriteLock)
            {
                previous = _walSync;
                _walSync = policy;
            }
            if (policy != WalSyncPolicy.Always || previous == WalSyncPolicy.Always || WriteError != null) return;
            WriteAndSyncDeferred();
        }
    }

    /// <summary>Makes every deferred write durable (per <see cref="WalSync"/>): one WAL write, and one fsync under Always.</summary>
    public void CommitDeferredWrites() => CommitDeferredWrites(LastSequence);

    /// <summary>
    /// Makes deferred writes up to <paramref name="sequence"/> durable, blocking the caller. Group commit:
    /// when another caller's commit already covered them, returns without touching the file.
    /// </summary>
    public void CommitDeferredWrites(ulong sequence)
    {
        if (Volatile.Read(ref _durableSequence) >= (long)sequence) return;
        if (_walSync != WalSyncPolicy.Always)
        {
            AdvanceDurable(WriteDeferred());
            return;
        }
        lock (_syncLock)
        {
            // Whoever held the lock before us may have fsynced our records with theirs.
            if (Volatile.Read(ref _durableSequence) >= (long)sequence) return;
            WriteAndSyncDeferred();
        }
    }

    /// <summary>Writes the deferred records and fsyncs the WAL, then publishes them as synced and durable. Caller holds <c>_syncLock</c>.</summary>
    private void WriteAndSyncDeferred()
    {
        long written = WriteDeferred();
        try
        {
            // Under the rotation lock: a segment that is replaced meanwhile was fsynced whole when it closed.
            long syncStart = System.Diagnostics.Stopwatch.GetTimestamp();
            lock (_walLock) _wal.Sync();
            Interlocked.Add(ref _counters.WalSyncTicks, System.Diagnostics.Stopwatch.GetTimestamp() - syncStart);
        }
        catch (Exception e)
        {
            throw OnWalFailure(e);
        }
        Interlocked.Increment(ref _counters.WalSyncs);
        AdvanceSynced(written);
        AdvanceDurable(written);
    }

    /// <summary>
    /// Completes once deferred writes up to <paramref name="sequence"/> are durable, without blocking:
    /// under Always the caller waits (holding no thread) for the group-commit thread's next fsync, which
    /// serves everyone waiting; otherwise the pending records are handed to the OS here and it completes at once.
    /// </summary>
    public ValueTask CommitDeferredWritesAsync(ulong sequence)
    {
        if (Volatile.Read(ref _durableSequence) >= (long)sequence) return ValueTask.CompletedTask;
        if (_walSync != WalSyncPolicy.Always)
        {
            try
            {
                CommitDeferredWrites(sequence);
            }
            catch (Exception e)
            {
                return ValueTask.FromException(e);
            }
            return ValueTask.CompletedTask;
        }
        Interlocked.Increment(ref _counters.WalSyncWaits);
        return _durabilityWaiters.WaitFor(sequence);
    }

    /// <summary>Writes the WAL's pending records to the OS (no fsync) and returns the last sequence they cover.</summary>
    private long WriteDeferred()
    {
        lock (_walWriteLock)
        {
            if (_walError != null) throw WritesRefused();
            long appended = (long)LastSequence; // under this lock: the last record in the WAL
            if (_wal.PendingBytes == 0) return appended;
            try
            {
                long before = _wal.Length - _wal.PendingBytes;
                _wal.Commit(sync: false);
                Interlocked.Add(ref _counters.WalBytesWritten, _wal.Length - before);
            }
            catch (Exception e)
            {
                throw OnWalFailure(e);
            }
            return appended;
        }
    }

    private void AdvanceDurable(long sequence)
    {
        long seen;
        while ((seen = Interlocked.Read(ref _durableSequence)) < sequence)
            Interlocked.CompareExchange(ref _durableSequence, sequence, seen);
    }

    /// <summary>The group-commit thread of Always: one fsync per round for every caller waiting when it starts.</summary>
    private void GroupCommitLoop()
    {
        while (_durabilityWaiters.TakeAll(out var waiters, out ulong sequence))
        {
            Exception? error = null;
            try
            {
                CommitDeferredWrites(sequence);
            }
            catch (Exception e)
            {
                error = e;
            }
            foreach (var waiter in waiters) waiter.Complete(error);
        }
    }

    private void SyncLoop()
    {
        while (!_shutdown.Token.WaitHandle.WaitOne(_options.WalSyncInterval))
        {
            if (WriteError != null) continue; // nothing more is written until Resume
            // Under the group-commit lock, so a switch to Always (SetWalSync) never runs between our write and our fsync.
            lock (_syncLock)
            {
                if (_walSync == WalSyncPolicy.EverySec) SyncOnce();
            }
        }
    }

    /// <summary>One round of the once-a-second fsync. Caller holds the group-commit lock.</summary>
    private void SyncOnce()
    {
        try
        {
            long written = WriteDeferred(); // deferred records nobody committed still reach the disk within the second
            AdvanceDurable(written);
            long syncStart = System.Diagnostics.Stopwatch.GetTimestamp();
            lock (_walLock) _wal.Sync();
            Interlocked.Add(ref _counters.WalSyncTicks, System.Diagnostics.Stopwatch.GetTimestamp() - syncStart);
            AdvanceSynced(written);
            Interlocked.Increment(ref _counters.WalSyncs);
        }
        catch (Exception e)
        {
            // Writes acknowledged since the last fsync may not be durable: stop taking more (Redis does the same).
            OnWalFailure(e);
            lock (_mutex) _counters.BackgroundErrors++;
        }
    }
}
