using System.Diagnostics;
using System.Text;
using Microsoft.Extensions.Logging;
using TieredKv.Keyspace;
using TieredKv.Server.Commands;

namespace TieredKv.Server.Dispatch;

/// <summary>
/// Finds a command in the table, checks arity and authentication, runs it, and turns its failures into Redis error
/// replies. Every call is timed here once, for INFO commandstats and latencystats, the slow log, the latency monitor and MONITOR.
/// </summary>
internal static class Dispatcher
{
    private const string MisconfPrefix = "MISCONF Errors writing to the data directory: ";

    public static void Execute(CommandContext context)
    {
        // CLIENT REPLY and CLIENT UNBLOCK … ERROR act around the command (ClientCommandHooks).
        if (ClientCommandHooks.Before(context)) ExecuteCommand(context);
        ClientCommandHooks.After(context);
    }

    private static void ExecuteCommand(CommandContext context)
    {
        var server = context.Server;
        var client = context.Client;
        client.LastInteraction = DateTime.UtcNow;
        if (!server.Commands.TryGet(context.Args[0], out var spec))
        {
            Reject(context, null, UnknownCommand(context));
            return;
        }
        client.LastCommand = spec!.Name;
        // Redis checks arity before authentication: an unauthenticated GET without a key hears about its arity.
        if (!spec.ArityMatches(context.ArgCount))
        {
            Reject(context, spec, $"ERR wrong number of arguments for '{spec.Name}' command");
            return;
        }
        // Redis 7 looks subcommands up with the command: its statistics are the subcommand's, and a bad one is refused at once.
        var target = spec;
        if (spec.Subcommands != null && context.ArgCount >= 2)
        {
            string sub = context.Text(1);
            if (!spec.Subcommands.TryGetValue(sub, out var subSpec))
            {
                Reject(context, null, $"ERR unknown subcommand '{sub}'. Try {context.Text(0).ToUpperInvariant()} HELP.");
                return;
            }
            target = subSpec;
            if (!subSpec.ArityMatches(context.ArgCount))
            {
                Reject(context, subSpec, $"ERR wrong number of arguments for '{subSpec.Name}' command");
                return;
            }
        }
        if (!client.Authenticated && !spec.Flags.HasFlag(CommandFlags.NoAuth))
        {
            Reject(context, target, "NOAUTH Authentication required.");
            return;
        }
        var transaction = client.Transaction;
        if (transaction.InMulti && spec.Flags.HasFlag(CommandFlags.NoMulti))
        {
            Reject(context, target, "ERR Command not allowed inside a transaction");
            return;
        }
        if (client.Subscribed && client.Protocol == 2 && !ClientModes.AllowedWhileSubscribed(spec))
        {
            Reject(context, target, $"ERR Can't execute '{spec.Name}': only (P|S)SUBSCRIBE / (P|S)UNSUBSCRIBE / PING / QUIT / RESET are allowed in this context");
            return;
        }
        if ((target.Flags & (CommandFlags.Write | CommandFlags.ReadOnly)) != 0 && server.Monitoring.Monitors.IsMonitor(client))
        {
            // Redis treats a monitor as a replica: it may not touch the keyspace.
            Reject(context, target, "ERR Replica can't interact with the keyspace");
            return;
        }
        if (spec.Flags.HasFlag(CommandFlags.Write) && server.Store.WriteError is { } writeError)
        {
            // As Redis refuses writes while its AOF cannot be written; reads go on. Cleared when a retry succeeds.
            Reject(context, target, $"{MisconfPrefix}{writeError.Message}");
            return;
        }
        if (server.BusyScript.IsBusy)
        {
            // As Redis: while a script runs too long, only the commands flagged allow_busy are served; SCRIPT KILL
            // runs at once, without the execution lock the script holds, the others wait for it.
            if (Metadata.CommandMetadataCatalog.Redis.Find(target.Name) is not { } meta || !meta.Flags.Contains("allow_busy"))
            {
                Reject(context, target, "BUSY Redis is busy running a script. You can only call SCRIPT KILL or SHUTDOWN NOSAVE.");
                return;
            }
            if (target.Name is "script|kill" or "function|kill")
            {
                Call(context, spec, target, touch: false);
                return;
            }
        }
        if (server.Pause.WaitFor(context, spec) is { } pauseEnd)
        {
            // CLIENT PAUSE: the connection waits, then runs the command again from the start.
            client.PendingPause = pauseEnd;
            return;
        }
        if (transaction.InMulti && !ClientModes.RunsInsideMulti(spec))
        {
            ClientModes.Enqueue(context, spec);
            return;
        }
        if (ClientModes.IsExec(spec))
        {
            // EXEC takes the execution lock exclusively itself.
            Call(context, spec, target, touch: false);
            return;
        }
        server.ExecutionLock.EnterReadLock();
        try
        {
            Call(context, spec, target, touch: true);
        }
        finally
        {
            server.ExecutionLock.ExitReadLock();
        }
    }

    /// <summary>Runs a command EXEC took from the transaction's queue, timed and counted as any call.</summary>
    public static void CallQueued(CommandContext context, CommandSpec spec)
    {
        var target = spec;
        if (spec.Subcommands != null && context.ArgCount >= 2 && spec.Subcommands.TryGetValue(context.Text(1), out var subSpec)) target = subSpec;
        Call(context, spec, target, touch: true);
    }

    /// <summary>
    /// One call, timed: <paramref name="target"/> (the subcommand of a container) gets the statistics. A call
    /// failed when it replied with an error of its own; errors of the calls nested in it (EXEC's) are theirs, as in Redis.
    /// </summary>
    private static void Call(CommandContext context, CommandSpec spec, CommandSpec target, bool touch)
    {
        var client = context.Client;
        bool retry = client.BlockDeadline != null; // a blocked command run again once woken
        client.ErrorRepliesAtCall = client.ErrorReplies;
        context.Subcommand = ReferenceEquals(target, spec) ? null : target;
        long start = Stopwatch.GetTimestamp();
        if (touch) RunAndTouch(context, spec);
        else Run(context, spec);
        long micros = (long)Stopwatch.GetElapsedTime(start).TotalMicroseconds;
        bool failed = client.ErrorReplies > client.ErrorRepliesAtCall;
        client.ErrorRepliesAtCall = client.ErrorReplies;
        // EXEC is not logged itself (Redis flags it skip-slowlog): the commands it ran are. A MIGRATE waiting for
        // its target is counted when it runs again and replies.
        context.Server.Monitoring.AfterCall(client, context.Args, target.Statistics, fast: target.Flags.HasFlag(CommandFlags.Fast),
            skipSlowLog: target.Name == "exec", feedMonitors: !retry && !target.Flags.HasFlag(CommandFlags.Admin), micros, failed,
            blocked: client.PendingBlock != null || client.PendingMigration != null);
    }

    /// <summary>
    /// Runs a command (its keyspace notifications come from the store's change feed, on this thread, named
    /// with this client) and, if it is a write that succeeded, invalidates the WATCHes on its keys and wakes their blocked clients.
    /// </summary>
    public static void RunAndTouch(CommandContext context, CommandSpec spec)
    {
        bool succeeded;
        context.ChangedNothing = false;
        using (context.Server.Origin.Enter(context.Client, context.Reply)) succeeded = Run(context, spec);
        if (context.Server.Tracking.Active || context.Client.Tracking.PendingInvalidations.Count > 0)
            TrackingInvalidator.AfterCommand(context, spec, succeeded);
        // A blocking command that found nothing to pop changed nothing.
        if (succeeded && spec.Flags.HasFlag(CommandFlags.Write) && context.Client.PendingBlock == null)
        {
            context.Client.WroteSinceCommit = true;
            if (context.ChangedNothing) return;
            context.Server.Saver.CountChange();
            foreach (int i in KeyPositions.Of(spec, context.ArgCount))
            {
                context.Server.Watches.Touch(context.Client.Database, context.Args[i]);
                context.Server.Blocked.Signal(context.Client.Database, context.Args[i]);
            }
        }
    }

    /// <summary>
    /// A refusal before running: counted as a rejected call of the command (when it is known) and, inside MULTI,
    /// dooming the transaction, as Redis's rejectCommand does.
    /// </summary>
    private static void Reject(CommandContext context, CommandSpec? target, string error)
    {
        if (context.Client.Transaction.InMulti) context.Client.Transaction.Dirty = true;
        target?.Statistics.RecordRejected();
        ReplyError(context, error);
    }

    /// <summary>Every error reply of a command goes out here: counted for INFO's errorstats and for the call's failure.</summary>
    private static void ReplyError(CommandContext context, string error)
    {
        context.Reply.WriteError(error);
        context.Client.ErrorReplies++;
        context.Server.Monitoring.Errors.Count(error);
    }

    /// <summary>Runs a command whose name and arity are checked; also the entry point for subcommands. False when it replied with an error.</summary>
    public static bool Run(CommandContext context, CommandSpec spec)
    {
        try
        {
            spec.Handler(context);
            return true;
        }
        catch (KvException e)
        {
            ReplyError(context, KvErrorText.For(e));
        }
        catch (IOException e)
        {
            // A failing disk: refuse the write as Redis refuses writes it cannot persist (MISCONF).
            context.Server.Logger.LogError(e, "command {Command} failed on I/O", spec.Name);
            ReplyError(context, $"{MisconfPrefix}{e.Message}");
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // A bug in one command must not cost the client its connection, nor others their server.
            context.Server.Logger.LogError(e, "command {Command} failed", spec.Name);
            ReplyError(context, $"ERR internal error in '{spec.Name}': {e.GetType().Name}");
        }
        return false;
    }

    /// <summary>Redis's text: the name as typed and the first arguments, each quoted and cut at 128 bytes.</summary>
    private static string UnknownCommand(CommandContext context)
    {
        var args = context.Args;
        var sb = new StringBuilder("ERR unknown command '").Append(Cut(args[0])).Append("', with args beginning with: ");
        for (int i = 1; i < args.Count && sb.Length < 512; i++) sb.Append('\'').Append(Cut(args[i])).Append("' ");
        return sb.ToString();
    }

    private static string Cut(ReadOnlySpan<byte> arg) => Encoding.UTF8.GetString(arg[..Math.Min(arg.Length, 128)]);
}
