using System.Globalization;
using Microsoft.Extensions.Logging;
using TieredKv.Keyspace;
using TieredKv.Rdb;
using TieredKv.Server.Dispatch;

namespace TieredKv.Server.Commands;

/// <summary>
/// DEBUG with the subcommands test suites use (SLEEP, SET-ACTIVE-EXPIRE, OBJECT, RELOAD, CHANGE-REPL-ID, HELP) and
/// BGREWRITEAOF. Redis refuses DEBUG unless enable-debug-command is set; ours always answers it.
/// </summary>
internal static class DebugCommands
{
    public static void Register(CommandTable t)
    {
        t.Add(new("debug", -2, CommandFlags.Admin, 0, 0, 0, Debug));
        t.Add(new("bgrewriteaof", 1, CommandFlags.Admin, 0, 0, 0, RewriteAppendOnlyFile));
    }

    /// <summary>Elements OBJECT ENCODING reads to tell an intset (Redis's set-max-intset-entries).</summary>
    private const int EncodingSamples = 512;

    private static readonly string[] Help =
    [
        "DEBUG <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
        "CHANGE-REPL-ID",
        "    Change the replication IDs of the instance (answered OK: there is no replication).",
        "OBJECT <key>",
        "    Show low level info about `key` and associated value.",
        "RELOAD [option ...]",
        "    Checkpoint the store (memtables to tables) and answer OK: the data is on disk already.",
        "SET-ACTIVE-EXPIRE <0|1>",
        "    Setting it to 0 disables expiring keys in background when they are not",
        "    accessed (otherwise the Redis behavior). Setting it to 1 reenables back the",
        "    default.",
        "SLEEP <seconds>",
        "    Stop the connection for <seconds>. Decimals allowed.",
        "HELP",
        "    Print this help.",
    ];

    private static void Debug(CommandContext c)
    {
        string sub = c.Text(1);
        int argc = c.ArgCount;
        if (c.Args.Is(1, "HELP"u8) && argc == 2)
        {
            c.Reply.WriteArrayHeader(Help.Length);
            foreach (var line in Help) c.Reply.WriteSimpleString(line);
        }
        else if (c.Args.Is(1, "SLEEP"u8) && argc == 3) Sleep(c);
        else if (c.Args.Is(1, "SET-ACTIVE-EXPIRE"u8) && argc == 3)
        {
            // Redis reads the flag with atoi: anything not starting with a non-zero number disables.
            c.Server.Store.ActiveExpiryEnabled = LeadingInteger(c.Text(2)) != 0;
            c.Reply.WriteOk();
        }
        else if (c.Args.Is(1, "OBJECT"u8) && argc == 3) DescribeObject(c);
        else if (c.Args.Is(1, "RELOAD"u8)) Reload(c);
        else if (c.Args.Is(1, "CHANGE-REPL-ID"u8) && argc == 2) c.Reply.WriteOk();
        else throw new KvException($"ERR unknown subcommand or wrong number of arguments for '{sub}'. Try DEBUG HELP.");
    }

    /// <summary>DEBUG SLEEP: Redis stops the whole server; ours stops this connection (other clients run on).</summary>
    private static void Sleep(CommandContext c)
    {
        // strtod without error checking, as Redis: text that is no number sleeps 0 seconds.
        double seconds = double.TryParse(c.Text(2), NumberStyles.Float, CultureInfo.InvariantCulture, out double s) ? s : 0;
        if (seconds > 0) Thread.Sleep(TimeSpan.FromSeconds(Math.Min(seconds, int.MaxValue / 1000.0)));
        c.Reply.WriteOk();
    }

    private static long LeadingInteger(string text)
    {
        int end = 0;
        text = text.TrimStart();
        if (end < text.Length && text[end] is '-' or '+') end++;
        while (end < text.Length && char.IsAsciiDigit(text[end])) end++;
        return long.TryParse(text.AsSpan(0, end), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long v) ? v : 0;
    }

    /// <summary>
    /// DEBUG OBJECT: Redis's line, with what we know: the encoding OBJECT ENCODING names, the length of the
    /// value's DUMP serialization (type byte and DUMP footer excluded, as rdbSavedObjectLen counts), no address and no idle time.
    /// </summary>
    private static void DescribeObject(CommandContext c)
    {
        var info = c.Db.ObjectInfo(c.Args[2], EncodingSamples) ?? throw new KvException("ERR no such key");
        var payload = KeyspaceDump.Dump(c.Db, c.Arg(2));
        long serialized = payload == null ? 0 : Math.Max(payload.Length - 11, 0);
        c.Reply.WriteSimpleString(
            $"Value at:0x0 refcount:1 encoding:{ObjectCommands.EncodingName(info, c.Server.Options)} serializedlength:{serialized} lru:0 lru_seconds_idle:0");
    }

    /// <summary>DEBUG RELOAD: Redis saves and reloads its RDB; our data is on disk already, so a checkpoint stands for it.</summary>
    private static void Reload(CommandContext c)
    {
        for (int i = 2; i < c.ArgCount; i++)
        {
            if (!c.Args.Is(i, "MERGE"u8) && !c.Args.Is(i, "NOFLUSH"u8) && !c.Args.Is(i, "NOSAVE"u8))
                throw new KvException("ERR DEBUG RELOAD only supports the MERGE, NOFLUSH and NOSAVE options.");
        }
        c.Server.Store.Checkpoint();
        c.Reply.WriteOk();
    }

    /// <summary>
    /// BGREWRITEAOF: our write-ahead log is the append-only file, and a checkpoint (memtables to tables) is what
    /// makes it short again; it runs in the background as Redis's rewrite does.
    /// </summary>
    private static void RewriteAppendOnlyFile(CommandContext c)
    {
        var store = c.Server.Store;
        var logger = c.Server.Logger;
        _ = Task.Run(() =>
        {
            try
            {
                store.Checkpoint();
            }
            catch (Exception e) when (e is IOException or ObjectDisposedException)
            {
                // A failed checkpoint leaves the log as it was: the data is as durable as before.
                logger.LogWarning(e, "BGREWRITEAOF: the checkpoint failed; the write-ahead log stays as it was");
            }
        });
        c.Reply.WriteSimpleString("Background append only file rewriting started");
    }
}
