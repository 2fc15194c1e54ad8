using TieredKv.Server.Transactions;

namespace TieredKv.Server.Dispatch;

/// <summary>
/// How dispatch treats a command in a client's two special modes: inside MULTI (queue it, or run it
/// at once) and, for RESP2 clients, in subscribed mode (refuse all but a few).
/// </summary>
internal static class ClientModes
{
    /// <summary>What a RESP2 client in subscribed mode may still run.</summary>
    public static bool AllowedWhileSubscribed(CommandSpec spec) =>
        spec.Name is "subscribe" or "psubscribe" or "ssubscribe" or "unsubscribe" or "punsubscribe" or "sunsubscribe" or "ping" or "quit" or "reset";

    /// <summary>The commands Redis runs at once even inside MULTI instead of queueing them.</summary>
    public static bool RunsInsideMulti(CommandSpec spec) =>
        spec.Name is "exec" or "discard" or "multi" or "watch" or "quit" or "reset";

    /// <summary>EXEC and the EVAL family take the execution lock exclusively themselves (they run commands atomically).</summary>
    public static bool IsExec(CommandSpec spec) => spec.Name is "exec" or "eval" or "evalsha" or "eval_ro" or "evalsha_ro" or "fcall" or "fcall_ro";

    /// <summary>Queues the current command (a copy of its arguments, and its name: EXEC finds it again in the table) and answers +QUEUED.</summary>
    public static void Enqueue(CommandContext c, CommandSpec spec)
    {
        var args = new byte[c.ArgCount][];
        for (int i = 0; i < args.Length; i++) args[i] = c.Arg(i);
        c.Client.Transaction.Queue.Add(new QueuedCommand(spec.Name, args));
        c.Reply.WriteSimpleString("QUEUED");
    }
}
