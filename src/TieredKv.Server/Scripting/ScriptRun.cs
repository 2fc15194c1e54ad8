using System.Buffers;
using TieredKv.Server.Dispatch;
using TieredKv.Server.Protocol;

namespace TieredKv.Server.Scripting;

/// <summary>
/// The script running now, as the commands it calls see it: one per runner, reused from script to script (scripts
/// run one at a time under the runner's lock), and so is the frame its <c>redis.call</c>s run in — the arguments
/// and the reply buffer are reset for every call instead of allocated.
/// </summary>
internal sealed class ScriptRun
{
    private readonly CommandArgs _callArgs = new();

    public ScriptRun() => CallReply = new RespWriter(CallOutput);

    /// <summary>Where a called command writes its reply, read back and converted to Lua.</summary>
    public ArrayBufferWriter<byte> CallOutput { get; } = new();

    public RespWriter CallReply { get; }

    /// <summary>The context the script's commands run in (its client, the reused arguments and reply), or null between scripts.</summary>
    public CommandContext? Call { get; private set; }

    public bool ReadOnly { get; private set; }

    /// <summary>The caller's selected database, given back when the script ends.</summary>
    public int CallerDatabase { get; private set; }

    public long StartedAt { get; private set; }

    public long BusyAfterMs { get; private set; }

    public void Start(CommandContext caller, bool readOnly, long busyAfterMs)
    {
        Call = new CommandContext(caller.Server, caller.Client, _callArgs, CallReply);
        ReadOnly = readOnly;
        CallerDatabase = caller.Client.Database;
        StartedAt = Environment.TickCount64;
        BusyAfterMs = busyAfterMs;
    }

    public void Clear()
    {
        Call = null;
        _callArgs.Clear();
    }
}
