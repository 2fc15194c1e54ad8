using System.Text;
using Microsoft.Extensions.Logging;
using TieredKv.Keyspace;
using TieredKv.Server.Commands;

namespace TieredKv.Server.Dispatch;

/// <summary>Finds a command in the table, checks arity and authentication, runs it, and turns its failures into Redis error replies.</summary>
internal static class Dispatcher
{
    private const string MisconfPrefix = "MISCONF Errors writing to the data directory: ";

    public static void Execute(CommandContext context)
    {
        var server = context.Server;
        var client = context.Client;
        client.LastInteraction = DateTime.UtcNow;
        server.CountCommand();
        if (!server.Commands.TryGet(context.Args[0], out var spec))
        {
            Reject(context, UnknownCommand(context));
            return;
        }
        client.LastCommand = spec!.Name;
        // Redis checks arity before authentication: an unauthenticated GET without a key hears about its arity.
        if (!spec.ArityMatches(context.ArgCount))
        {
            Reject(context, $"ERR wrong number of arguments for '{spec.Name}' command");
            return;
        }
        if (!client.Authenticated && !spec.Flags.HasFlag(CommandFlags.NoAuth))
        {
            Reject(context, "NOAUTH Authentication required.");
            return;
        }
        var transaction = client.Transaction;
        if (transaction.InMulti && spec.Flags.HasFlag(CommandFlags.NoMulti))
        {
            Reject(context, "ERR Command not allowed inside a transaction");
            return;
        }
        if (client.Subscribed && client.Protocol == 2 && !ClientModes.AllowedWhileSubscribed(spec))
        {
            Reject(context, $"ERR Can't execute '{spec.Name}': only (P|S)SUBSCRIBE / (P|S)UNSUBSCRIBE / PING / QUIT / RESET are allowed in this context");
            return;
        }
        if (spec.Flags.HasFlag(CommandFlags.Write) && server.Store.WriteError is { } writeError)
        {
            // As Redis refuses writes while its AOF cannot be written; reads go on. Cleared when a retry succeeds.
            Reject(context, $"{MisconfPrefix}{writeError.Message}");
            return;
        }
        if (transaction.InMulti && spec.Subcommands != null && context.ArgCount >= 2 && SubcommandError(context, spec) is { } subError)
        {
            // Redis 7 looks subcommands up before queueing, so a bad one dooms the transaction.
            Reject(context, subError);
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
            Run(context, spec);
            return;
        }
        server.ExecutionLock.EnterReadLock();
        try
        {
            RunAndTouch(context, spec);
        }
        finally
        {
            server.ExecutionLock.ExitReadLock();
        }
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

    private static string? SubcommandError(CommandContext context, CommandSpec spec)
    {
        string sub = context.Text(1);
        if (!spec.Subcommands!.TryGetValue(sub, out var subSpec)) return $"ERR unknown subcommand '{sub}'. Try {context.Text(0).ToUpperInvariant()} HELP.";
        return subSpec.ArityMatches(context.ArgCount) ? null : $"ERR wrong number of arguments for '{subSpec.Name}' command";
    }

    /// <summary>A refusal before running: inside MULTI it also dooms the transaction, as Redis's rejectCommand does.</summary>
    private static void Reject(CommandContext context, string error)
    {
        if (context.Client.Transaction.InMulti) context.Client.Transaction.Dirty = true;
        context.Reply.WriteError(error);
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
            context.Reply.WriteError(KvErrorText.For(e));
        }
        catch (IOException e)
        {
            // A failing disk: refuse the write as Redis refuses writes it cannot persist (MISCONF).
            context.Server.Logger.LogError(e, "command {Command} failed on I/O", spec.Name);
            context.Reply.WriteError($"{MisconfPrefix}{e.Message}");
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // A bug in one command must not cost the client its connection, nor others their server.
            context.Server.Logger.LogError(e, "command {Command} failed", spec.Name);
            context.Reply.WriteError($"ERR internal error in '{spec.Name}': {e.GetType().Name}");
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
