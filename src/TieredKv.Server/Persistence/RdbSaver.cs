using Microsoft.Extensions.Logging;
using TieredKv.Keyspace;
using TieredKv.Rdb;
using TieredKv.Server.Config;

namespace TieredKv.Server.Persistence;

/// <summary>
/// SAVE and BGSAVE: an RDB file of an LSM snapshot written to <c>dir/dbfilename</c> (temp file + rename), one at a
/// time, with the figures INFO persistence and LASTSAVE report. The change counter counts successful write
/// commands, not modified keys as Redis's dirty counter does: it is an approximation.
/// </summary>
internal sealed class RdbSaver(TieredKvStore store, ServerOptions options, ILogger logger)
{
    private readonly Lock _lock = new();
    private Task? _background;
    private bool _scheduled;
    private long _changes;
    private long _saves;
    private long _lastSaveUnixSeconds = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
    private bool _lastBackgroundOk = true;
    private long _lastBackgroundSeconds = -1;
    private DateTime _backgroundStartedAt;

    /// <summary>Removes what saves of an earlier process left half-written in <c>dir</c>; called once at start, before any save.</summary>
    public void RemoveLeftoverTempFiles()
    {
        foreach (string name in RdbFile.RemoveLeftoverTempFiles(options.Dir))
            logger.LogWarning("removed {File}: a save that an earlier process did not finish", name);
    }

    public const string AlreadyInProgress = "ERR Background save already in progress";

    public long ChangesSinceLastSave => Interlocked.Read(ref _changes);

    /// <summary>Saves (SAVE and BGSAVE) completed since start: INFO's rdb_saves.</summary>
    public long Saves => Interlocked.Read(ref _saves);
    public long LastSaveUnixSeconds => Interlocked.Read(ref _lastSaveUnixSeconds);
    public bool LastBackgroundOk { get { lock (_lock) return _lastBackgroundOk; } }
    public long LastBackgroundSeconds { get { lock (_lock) return _lastBackgroundSeconds; } }

    public bool InProgress
    {
        get { lock (_lock) return _background is { IsCompleted: false }; }
    }

    /// <summary>Seconds the running background save has taken so far, or -1.</summary>
    public long CurrentBackgroundSeconds
    {
        get { lock (_lock) return _background is { IsCompleted: false } ? (long)(DateTime.UtcNow - _backgroundStartedAt).TotalSeconds : -1; }
    }

    public string FilePath => Path.Combine(options.Dir, options.DbFilename);

    public void CountChange() => Interlocked.Increment(ref _changes);

    /// <summary>SAVE: writes the file, with the function libraries given (their code), before returning.</summary>
    public void Save(IReadOnlyList<byte[]> functionLibraries)
    {
        lock (_lock)
        {
            if (_background is { IsCompleted: false }) throw new KvException(AlreadyInProgress);
        }
        using KeyspaceSnapshot snapshot = store.OpenSnapshot();
        long changesAtStart = ChangesSinceLastSave;
        Write(snapshot, functionLibraries, changesAtStart);
    }

    /// <summary>BGSAVE: the snapshot (and <paramref name="functionLibraries"/>, as they are now) is taken now, the file written on a background task. False when one is already running (with <paramref name="schedule"/>, one more is queued after it).</summary>
    public bool TryStartBackground(bool schedule, IReadOnlyList<byte[]> functionLibraries, out bool scheduled)
    {
        scheduled = false;
        lock (_lock)
        {
            if (_background is { IsCompleted: false })
            {
                if (!schedule) return false;
                if (!_scheduled)
                {
                    _scheduled = true;
                    _background = _background.ContinueWith(_ => RunScheduled(functionLibraries), TaskScheduler.Default).Unwrap();
                }
                scheduled = true;
                return true;
            }
            StartLocked(functionLibraries);
            return true;
        }
    }

    private Task RunScheduled(IReadOnlyList<byte[]> functionLibraries)
    {
        lock (_lock)
        {
            _scheduled = false;
            StartLocked(functionLibraries);
            return _background!;
        }
    }

    private void StartLocked(IReadOnlyList<byte[]> functionLibraries)
    {
        KeyspaceSnapshot snapshot = store.OpenSnapshot();
        long changesAtStart = ChangesSinceLastSave;
        _backgroundStartedAt = DateTime.UtcNow;
        _background = Task.Run(() =>
        {
            bool ok = false;
            try
            {
                Write(snapshot, functionLibraries, changesAtStart);
                ok = true;
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                logger.LogError(e, "background save to {Path} failed", FilePath);
            }
            finally
            {
                snapshot.Dispose();
                lock (_lock)
                {
                    _lastBackgroundOk = ok;
                    _lastBackgroundSeconds = (long)(DateTime.UtcNow - _backgroundStartedAt).TotalSeconds;
                }
            }
        });
    }

    /// <summary>Waits for a running background save (tests, shutdown).</summary>
    public void WaitForBackground()
    {
        Task? t;
        lock (_lock) t = _background;
        try { t?.Wait(); }
        catch (AggregateException) { }
    }

    private void Write(KeyspaceSnapshot snapshot, IReadOnlyList<byte[]> functionLibraries, long changesAtStart)
    {
        var started = DateTime.UtcNow;
        var result = RdbFile.Save(snapshot, FilePath, options: new RdbWriterOptions { FunctionLibraries = functionLibraries });
        Interlocked.Add(ref _changes, -changesAtStart);
        Interlocked.Exchange(ref _lastSaveUnixSeconds, DateTimeOffset.UtcNow.ToUnixTimeSeconds());
        Interlocked.Increment(ref _saves);
        logger.LogInformation("DB saved on disk: {Keys} keys, {Bytes} bytes in {Ms} ms", result.Keys, result.Bytes, (long)(DateTime.UtcNow - started).TotalMilliseconds);
    }
}
