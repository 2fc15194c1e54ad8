namespace TieredKv.CrashTest;

/// <summary>
/// Issues BGSAVE every few hundred milliseconds on a connection of its own while the writers run, so that
/// some kills land while a snapshot is being written to its temp file or renamed into place.
/// </summary>
internal sealed class BackgroundSaver(TimeSpan interval)
{
    /// <summary>BGSAVEs the server accepted (a save already running is not counted).</summary>
    public long Started { get; private set; }

    public void Run(int port, CancellationToken stop)
    {
        try
        {
            using var c = ServerConnection.Open(port, TimeSpan.FromSeconds(30));
            while (!stop.IsCancellationRequested)
            {
                // "Background saving started", or an error while one still runs: both are fine here.
                if (!c.Call("BGSAVE").IsError) Started++;
                stop.WaitHandle.WaitOne(interval);
            }
        }
        catch (Exception e) when (e is IOException or System.Net.Sockets.SocketException or ObjectDisposedException)
        {
            // The kill closed the connection.
        }
    }
}
