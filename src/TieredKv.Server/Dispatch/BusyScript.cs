namespace TieredKv.Server.Dispatch;

/// <summary>
/// A script that has run longer than busy-reply-threshold: other clients are then answered BUSY instead of waiting
/// for the execution lock, and SCRIPT KILL (which runs without the lock) may ask it to stop. Written by the script's
/// thread, read by the others.
/// </summary>
internal sealed class BusyScript
{
    private volatile bool _busy;
    private volatile bool _killRequested;
    private volatile bool _wrote;

    /// <summary>A script is running and has passed the threshold.</summary>
    public bool IsBusy => _busy;

    /// <summary>SCRIPT KILL asked the running script to stop.</summary>
    public bool KillRequested => _killRequested;

    /// <summary>The running script called a write command: killing it would leave half its writes, so Redis refuses.</summary>
    public bool Wrote => _wrote;

    /// <summary>A script begins: not busy yet, nothing written, no kill asked.</summary>
    public void Start()
    {
        _wrote = false;
        _killRequested = false;
        _busy = false;
    }

    public void MarkBusy() => _busy = true;

    public void MarkWrote() => _wrote = true;

    public void RequestKill() => _killRequested = true;

    /// <summary>The script ended: commands run normally again.</summary>
    public void Stop()
    {
        _busy = false;
        _killRequested = false;
    }
}
