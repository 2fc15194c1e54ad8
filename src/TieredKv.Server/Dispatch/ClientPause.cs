
namespace TieredKv.Server.Dispatch;

/// <summary>
/// CLIENT PAUSE and UNPAUSE, as Redis 7.0: while a pause lasts, clients' commands wait (holding no thread)
/// until it ends: all of them in ALL mode, in WRITE mode only those that may write (write commands, PUBLISH,
/// SPUBLISH, PFCOUNT, and an EXEC whose queue holds a write).
/// </summary>
internal sealed class ClientPause
{
    private readonly object _lock = new();
    private bool _all;
    private long _endsAt; // Environment.TickCount64; 0 when not paused
    private TaskCompletionSource _ended = NewEnd();

    /// <summary>Whether a pause is in effect (cheap: every command asks).</summary>
    public bool Active => Volatile.Read(ref _endsAt) != 0;

    /// <summary>Pauses for <paramref name="milliseconds"/>; a longer or stricter pause in effect is kept, as Redis keeps it.</summary>
    public void Pause(long milliseconds, bool all)
    {
        lock (_lock)
        {
            long end = Environment.TickCount64 + milliseconds;
            if (_endsAt == 0) _all = all;
            else _all |= all;
            if (end > _endsAt) Volatile.Write(ref _endsAt, end);
        }
        _ = EndAfterAsync(milliseconds);
    }

    private async Task EndAfterAsync(long milliseconds)
    {
        await Task.Delay(TimeSpan.FromMilliseconds(Math.Min(milliseconds, int.MaxValue - 1)));
        EndIfDue();
    }

    public void Unpause()
    {
        lock (_lock) EndLocked();
    }

    private void EndIfDue()
    {
        lock (_lock)
        {
            if (_endsAt == 0) return;
            // A longer pause given since: its own delay ends it.
            if (Environment.TickCount64 >= _endsAt) EndLocked();
        }
    }

    private void EndLocked()
    {
        Volatile.Write(ref _endsAt, 0);
        _ended.TrySetResult();
        _ended = NewEnd();
    }

    /// <summary>The task to wait for before running <paramref name="spec"/>, or null when it may run now.</summary>
    public Task? WaitFor(CommandContext context, CommandSpec spec)
    {
        if (!Active) return null;
        lock (_lock)
        {
            if (_endsAt == 0) return null;
            return _all || MayWrite(context, spec) ? _ended.Task : null;
        }
    }

    private static bool MayWrite(CommandContext context, CommandSpec spec)
    {
        if (spec.Flags.HasFlag(CommandFlags.Write) || spec.Name is "publish" or "spublish" or "pfcount") return true;
        if (spec.Name != "exec") return false;
        foreach (var queued in context.Client.Transaction.Queue)
            if (context.Server.Commands.TryGet(queued.Name, out var inner) && (inner!.Flags.HasFlag(CommandFlags.Write) || inner.Name is "publish" or "spublish" or "pfcount"))
                return true;
        return false;
    }

    private static TaskCompletionSource NewEnd() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
