namespace TieredKv.Server.Transactions;

/// <summary>A session's MULTI state: whether one is open, the queued commands, queue-time errors, and its WATCHed keys.</summary>
internal sealed class TransactionState
{
    private volatile bool _touched;

    public bool InMulti { get; set; }

    /// <summary>While EXEC runs the queue: blocking commands then answer at once, as in MULTI.</summary>
    public bool InExec { get; set; }

    /// <summary>A command was refused while queueing: EXEC answers EXECABORT.</summary>
    public bool Dirty { get; set; }

    /// <summary>Set by other clients' writes to a watched key: EXEC answers a null array.</summary>
    public bool Touched
    {
        get => _touched;
        set => _touched = value;
    }

    public List<QueuedCommand> Queue { get; } = [];

    public List<WatchedKey> Watched { get; } = [];

    /// <summary>Leaves MULTI, dropping the queue (watches are released separately).</summary>
    public void Reset()
    {
        InMulti = false;
        Dirty = false;
        Queue.Clear();
    }
}

/// <summary>A command queued by MULTI: its own name (EXEC finds its spec by it, renamed or not) and a copy of its arguments.</summary>
internal sealed record QueuedCommand(string Name, byte[][] Args);
