using System.Diagnostics;
using System.Text;
using TieredKv.Keyspace;
using TieredKv.Server.Config;
using TieredKv.Server.Dispatch;

namespace TieredKv.Server.Commands;

/// <summary>DBSIZE, FLUSHDB, FLUSHALL, TIME, CONFIG, COMMAND, SHUTDOWN (INFO: <see cref="InfoCommand"/>).</summary>
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
        t.Add(new("config", -2, CommandFlags.Admin, 0, 0, 0, c => Sub(c, "config"))
        {
            Subcommands = Subs(
                new CommandSpec("config|get", -3, CommandFlags.Admin, 0, 0, 0, ConfigGet),
                new CommandSpec("config|set", -4, CommandFlags.Admin, 0, 0, 0, ConfigSet),
                new CommandSpec("config|resetstat", 2, CommandFlags.Admin, 0, 0, 0, c => { c.Server.ResetStats(); c.Reply.WriteOk(); }),
                new CommandSpec("config|rewrite", 2, CommandFlags.Admin, 0, 0, 0, ConfigRewrite)),
        });
        t.Add(new("command", -1, CommandFlags.None, 0, 0, 0, Command)
        {
            Subcommands = Subs(
                new CommandSpec("command|count", 2, CommandFlags.None, 0, 0, 0, c => c.Reply.WriteInteger(c.Server.Commands.Count)),
                new CommandSpec("command|info", -2, CommandFlags.None, 0, 0, 0, CommandInfo),
                new CommandSpec("command|docs", -2, CommandFlags.None, 0, 0, 0, CommandDocs),
                new CommandSpec("command|list", -2, CommandFlags.None, 0, 0, 0, CommandList)),
        });
    }

    internal static IReadOnlyDictionary<string, CommandSpec> Subs(params CommandSpec[] specs) =>
        specs.ToDictionary(s => s.Name[(s.Name.IndexOf('|') + 1)..], StringComparer.OrdinalIgnoreCase);

    /// <summary>Dispatches a container command (CONFIG, COMMAND …) to its subcommand.</summary>
    internal static void Sub(CommandContext c, string container)
    {
        c.Server.Commands.TryGet(container, out var spec);
        string sub = c.Text(1);
        if (!spec!.Subcommands!.TryGetValue(sub, out var subSpec))
            throw new KvException($"ERR unknown subcommand '{sub}'. Try {c.Text(0).ToUpperInvariant()} HELP."); // the name as typed, renamed or not
        if (!subSpec.ArityMatches(c.ArgCount)) throw new KvException($"ERR wrong number of arguments for '{subSpec.Name}' command");
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
        c.Reply.WriteOk();
    }

    private static void FlushAll(CommandContext c)
    {
        CheckFlushMode(c);
        c.Server.Store.FlushAll();
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

    private static void ConfigGet(CommandContext c)
    {
        var matches = new SortedDictionary<string, string>(StringComparer.Ordinal);
        for (int i = 2; i < c.ArgCount; i++)
        {
            var pattern = c.Args[i].ToArray();
            foreach (var name in ServerOptions.ParameterNames)
                if (GlobPattern.Match(LowerAscii(pattern), Encoding.ASCII.GetBytes(name)) && c.Server.Options.Get(name) is { } value)
                    matches[name] = value;
        }
        c.Reply.WriteMapHeader(matches.Count);
        foreach (var (name, value) in matches)
        {
            c.Reply.WriteBulk(name);
            c.Reply.WriteBulk(value);
        }
    }

    private static byte[] LowerAscii(byte[] bytes)
    {
        for (int i = 0; i < bytes.Length; i++) if (bytes[i] is >= (byte)'A' and <= (byte)'Z') bytes[i] |= 0x20;
        return bytes;
    }

    private static void ConfigSet(CommandContext c)
    {
        if ((c.ArgCount - 2) % 2 != 0) throw new KvException("ERR syntax error"); // an odd name/value list, as Redis 7.0 answers it
        for (int i = 2; i < c.ArgCount; i += 2)
        {
            string name = c.Text(i).ToLowerInvariant();
            if (ServerOptions.IsStartupOnly(name)) throw new KvException($"ERR Unknown option or number of arguments for CONFIG SET - '{name}'");
            if (ServerOptions.IsImmutable(name)) throw new KvException($"ERR CONFIG SET failed (possibly related to argument '{name}') - can't set immutable config");
            var error = c.Server.Options.Set(name, c.Text(i + 1));
            if (error != null) throw new KvException("ERR " + error);
        }
        c.Reply.WriteOk();
    }

    private static void ConfigRewrite(CommandContext c)
    {
        if (c.Server.Options.ConfigFile is not { } path) throw new KvException("ERR The server is running without a config file");
        ConfigFile.Rewrite(path, c.Server.Options);
        c.Reply.WriteOk();
    }

    private static void Command(CommandContext c)
    {
        if (c.ArgCount > 1)
        {
            Sub(c, "command");
            return;
        }
        var all = c.Server.Commands.All.ToList();
        c.Reply.WriteArrayHeader(all.Count);
        foreach (var spec in all) WriteCommandInfo(c, spec);
    }

    private static void CommandInfo(CommandContext c)
    {
        var specs = new List<CommandSpec?>();
        if (c.ArgCount == 2) specs.AddRange(c.Server.Commands.All);
        for (int i = 2; i < c.ArgCount; i++) specs.Add(c.Server.Commands.TryGet(c.Args[i], out var s) ? s : null);
        c.Reply.WriteArrayHeader(specs.Count);
        foreach (var spec in specs)
        {
            if (spec == null) c.Reply.WriteNullArray();
            else WriteCommandInfo(c, spec);
        }
    }

    /// <summary>Redis 7's COMMAND INFO shape: name, arity, flags, first key, last key, step, ACL categories, tips, key specs, subcommands.</summary>
    private static void WriteCommandInfo(CommandContext c, CommandSpec spec)
    {
        var r = c.Reply;
        r.WriteArrayHeader(10);
        r.WriteBulk(spec.Name);
        r.WriteInteger(spec.Arity);
        var flags = spec.FlagNames().ToList();
        r.WriteSetHeader(flags.Count);
        foreach (var f in flags) r.WriteSimpleString(f);
        r.WriteInteger(spec.FirstKey);
        r.WriteInteger(spec.LastKey);
        r.WriteInteger(spec.Step);
        r.WriteSetHeader(0);
        r.WriteArrayHeader(0);
        r.WriteArrayHeader(0);
        var subs = spec.Subcommands?.Values.ToList() ?? [];
        r.WriteArrayHeader(subs.Count);
        foreach (var sub in subs) WriteCommandInfo(c, sub);
    }

    private static void CommandDocs(CommandContext c)
    {
        var specs = c.ArgCount == 2
            ? c.Server.Commands.All.ToList()
            : Enumerable.Range(2, c.ArgCount - 2).Select(i => c.Server.Commands.TryGet(c.Args[i], out var s) ? s : null).OfType<CommandSpec>().ToList();
        c.Reply.WriteMapHeader(specs.Count);
        foreach (var spec in specs)
        {
            c.Reply.WriteBulk(spec.Name);
            c.Reply.WriteMapHeader(2);
            c.Reply.WriteBulk("summary");
            c.Reply.WriteBulk($"The {spec.Name.ToUpperInvariant()} command.");
            c.Reply.WriteBulk("group");
            c.Reply.WriteBulk("generic");
        }
    }

    private static void CommandList(CommandContext c)
    {
        var names = c.Server.Commands.All.Select(s => s.Name).ToList();
        c.Reply.WriteArrayHeader(names.Count);
        foreach (var n in names) c.Reply.WriteBulk(n);
    }
}
