using TieredKv.Keyspace;
using TieredKv.Server.Dispatch;
using TieredKv.Server.Protocol;

namespace TieredKv.Server.Commands;

/// <summary>MULTI, EXEC, DISCARD, WATCH, UNWATCH.</summary>
internal static class TransactionCommands
{
    public static void Register(CommandTable t)
    {
        t.Add(new("multi", 1, CommandFlags.Fast, 0, 0, 0, Multi));
        t.Add(new("exec", 1, CommandFlags.None, 0, 0, 0, Exec));
        t.Add(new("discard", 1, CommandFlags.Fast, 0, 0, 0, Discard));
        t.Add(new("watch", -2, CommandFlags.Fast, 1, -1, 1, Watch));
        t.Add(new("unwatch", 1, CommandFlags.Fast, 0, 0, 0, c => { c.Server.Watches.UnwatchAll(c.Client.Transaction); c.Reply.WriteOk(); }));
    }

    private static void Multi(CommandContext c)
    {
        if (c.Client.Transaction.InMulti) throw new KvException("ERR MULTI calls can not be nested");
        c.Client.Transaction.InMulti = true;
        c.Reply.WriteOk();
    }

    private static void Discard(CommandContext c)
    {
        if (!c.Client.Transaction.InMulti) throw new KvException("ERR DISCARD without MULTI");
        c.Client.Transaction.Reset();
        c.Server.Watches.UnwatchAll(c.Client.Transaction);
        c.Reply.WriteOk();
    }

    private static void Watch(CommandContext c)
    {
        if (c.Client.Transaction.InMulti) throw new KvException("ERR WATCH inside MULTI is not allowed");
        int db = c.Client.Database;
        for (int i = 1; i < c.ArgCount; i++) c.Server.Watches.Watch(c.Client.Transaction, db, c.Arg(i), c.Db.Exists(c.Args[i]));
        c.Reply.WriteOk();
    }

    private static void Exec(CommandContext c)
    {
        var transaction = c.Client.Transaction;
        if (!transaction.InMulti) throw new KvException("ERR EXEC without MULTI");
        var server = c.Server;
        if (transaction.Dirty)
        {
            transaction.Reset();
            server.Watches.UnwatchAll(c.Client.Transaction);
            throw new KvException("EXECABORT Transaction discarded because of previous errors.");
        }
        var queue = transaction.Queue.ToList();
        server.ExecutionLock.EnterWriteLock();
        try
        {
            bool aborted = transaction.Touched || WatchedKeyVanished(c);
            transaction.Reset();
            // Redis unwatches before running the queue: the transaction's own writes must not matter.
            server.Watches.UnwatchAll(c.Client.Transaction);
            if (aborted)
            {
                c.Reply.WriteNullArray();
                return;
            }
            c.Reply.WriteArrayHeader(queue.Count);
            var args = new CommandArgs();
            var inner = new CommandContext(server, c.Client, args, c.Reply);
            transaction.InExec = true;
            try
            {
                foreach (var command in queue)
                {
                    args.Clear();
                    foreach (var arg in command.Args) arg.CopyTo(args.Add(arg.Length));
                    server.Commands.TryGet(command.Name, out var spec);
                    Dispatcher.CallQueued(inner, spec!);
                }
            }
            finally
            {
                transaction.InExec = false;
            }
        }
        finally
        {
            server.ExecutionLock.ExitWriteLock();
        }
    }

    /// <summary>
    /// A watched key that existed at WATCH and is gone now, with no write touching it, expired or was
    /// flushed: Redis aborts for both (and not for a flush of keys that did not exist).
    /// </summary>
    private static bool WatchedKeyVanished(CommandContext c)
    {
        foreach (var w in c.Client.Transaction.Watched)
            if (w.Existed && !c.Server.Store[w.Db].Exists(w.Key)) return true;
        return false;
    }
}
