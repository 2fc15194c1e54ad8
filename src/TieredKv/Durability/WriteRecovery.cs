using Microsoft.Extensions.Logging;
using TieredKv.Storage;

namespace TieredKv.Durability;

/// <summary>
/// Brings writes back after a WAL failure (a full disk, a failing fsync) without a restart: while the
/// engine refuses writes it calls <see cref="Db.Resume"/> once per interval, as Redis retries its AOF
/// write once a second and accepts writes again when one succeeds. Reads are served throughout.
/// </summary>
internal sealed class WriteRecovery : IDisposable
{
    private readonly Db _engine;
    private readonly ILogger _logger;
    private readonly TimeSpan _interval;
    private readonly CancellationTokenSource _stop = new();
    private readonly Thread _thread;

    public WriteRecovery(Db engine, ILogger logger, TimeSpan interval)
    {
        _engine = engine;
        _logger = logger;
        _interval = interval;
        _thread = new Thread(Run) { IsBackground = true, Name = "tkv-write-recovery" };
        _thread.Start();
    }

    private void Run()
    {
        while (!_stop.Token.WaitHandle.WaitOne(_interval))
        {
            if (_engine.WriteError == null) continue;
            try
            {
                _engine.Resume();
                _logger.LogWarning("writes accepted again: the data directory can be written");
            }
            catch (StorageWriteException e)
            {
                // Still failing: the engine logged why; try again next interval.
                _logger.LogDebug(e, "writes still refused");
            }
            catch (ObjectDisposedException)
            {
                return;
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                // A thread that dies takes the process with it: log and retry next interval.
                _logger.LogError(e, "retrying writes failed");
            }
        }
    }

    public void Dispose()
    {
        _stop.Cancel();
        _thread.Join();
        _stop.Dispose();
    }
}
