using TieredKv.Server.Protocol;

namespace TieredKv.Server.Dispatch;

/// <summary>
/// Whose command runs on each thread, set by the dispatcher around a command. The change feed calls
/// back on the writing thread; with this, a client's own copies of the notifications its command causes
/// go into its reply, ahead of the command's reply, as in Redis. Empty on other threads (active expiry).
/// </summary>
internal sealed class CommandOrigin
{
    private readonly ThreadLocal<(ClientSession? Client, RespWriter? Reply)> _current = new();

    /// <summary>The client running a command on this thread and its reply writer, or nulls.</summary>
    public (ClientSession? Client, RespWriter? Reply) Current => _current.Value;

    /// <summary>Names the client until the returned scope is disposed (which restores the previous one).</summary>
    public Scope Enter(ClientSession client, RespWriter reply)
    {
        var previous = _current.Value;
        _current.Value = (client, reply);
        return new Scope(_current, previous);
    }

    internal readonly struct Scope(ThreadLocal<(ClientSession?, RespWriter?)> slot, (ClientSession?, RespWriter?) previous) : IDisposable
    {
        public void Dispose() => slot.Value = previous;
    }
}
