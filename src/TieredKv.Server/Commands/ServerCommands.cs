using System.Diagnostics;
using System.Text;
using TieredKv.Keyspace;
using TieredKv.Server.Config;
using TieredKv.Server.Dispatch;

namespace TieredKv.Server.Commands;

/// <summary>DBSIZE, FLUSHDB, FLUSHALL, TIME, SHUTDOWN (CONFIG: <see cref="ConfigCommands"/>; COMMAND: <see cref="CommandIntrospection"/>; INFO: <see cref="InfoCommand"/>).</summary>
internal static class ServerCommands
{
    /// <summary>The Redis version we answer to: the one whose behaviour we follow.</summary>
    public const string CompatibleVersion = "7.0.15";

    public static void Register(CommandTable t)
    {
        t.Add(new("dbsize", 1, CommandFlags.ReadOnly | CommandFlags.Fast, 0, 0, 0, c => c.Reply.WriteInteger(c.Db.DbSize())));
        t.Add(new("flushdb", -1, CommandFlags.Write, 0, 0, 0, FlushDb));
        t.Add(new("flushall", -1, CommandFlags.Write, 0, 0, 0, FlushAll));
        t.Add(new("time", 1, CommandFlags.Fast, 0, 0, 0, Time));
        t.Add(new("shutdown", -1, CommandFlags.Admin | CommandFlags.NoMulti, 0, 0, 0, Shutdown));
        ConfigCommands.Register(t);
    }

    internal static IReadOnlyDictionary<string, CommandSpec> Subs(params CommandSpec[] specs) =>
        specs.ToDictionary(s => s.Name[(s.Name.IndexOf('|') + 1)..], StringComparer.OrdinalIgnoreCase);

    /// <summary>
    /// Runs the subcommand of a container command (CONFIG GET, CLIENT ID …) that the dispatcher resolved when it
    /// looked the command up; none was found when the name is unknown (a script's redis.call reaches here unchecked).
    /// </summary>
    internal static void Sub(CommandContext c)
    {
        var subSpec = c.Subcommand ?? throw new KvException($"ERR unknown subcommand '{c.Text(1)}'. Try {c.Text(0).ToUpperInvariant()} HELP."); // the name as typed, renamed or not
        if (!subSpec.ArityMatches(c.ArgCount)) throw new KvException($"ERR wrong number of arguments for '{subSpec.Name}' command");
        c.Client.LastCommand = subSpec.Name; // CLIENT LIST's cmd= names the subcommand, as Redis 7
        Dispatcher.Run(c, subSpec);
    }

    private static void CheckFlushMode(CommandContext c)
    {
        if (c.ArgCount > 2 || (c.ArgCount == 2 && !c.Args.Is(1, "ASYNC"u8) && !c.Args.Is(1, "SYNC"u8))) throw CommandContext.Syntax();
    }

    private static void FlushDb(CommandContext c)
    {
        CheckFlushMode(c);
        c.Db.FlushDb(); // O(1) either way: ASYNC and SYNC both return at once
        c.Server.Tracking.InvalidateAll();
        c.Reply.WriteOk();
    }

    private static void FlushAll(CommandContext c)
    {
        CheckFlushMode(c);
        c.Server.Store.FlushAll();
        c.Server.Tracking.InvalidateAll();
        c.Reply.WriteOk();
    }

    private static void Time(CommandContext c)
    {
        long micros = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() * 1000 + (Stopwatch.GetTimestamp() / (Stopwatch.Frequency / 1_000_000)) % 1000;
        c.Reply.WriteArrayHeader(2);
        c.Reply.WriteBulk(CommandContext.Format(micros / 1_000_000));
        c.Reply.WriteBulk(CommandContext.Format(micros % 1_000_000));
    }

    private static void Shutdown(CommandContext c)
    {
        for (int i = 1; i < c.ArgCount; i++)
            if (!(c.Args.Is(i, "NOSAVE"u8) || c.Args.Is(i, "SAVE"u8) || c.Args.Is(i, "NOW"u8) || c.Args.Is(i, "FORCE"u8) || c.Args.Is(i, "ABORT"u8)))
                throw CommandContext.Syntax();
        // Every write is already durable in the WAL: shutting down needs no save.
        c.Client.CloseRequested = true;
        c.Server.Shutdown.Cancel();
    }
}
