using System.Text;
using TieredKv.Keyspace;
using TieredKv.Server.Dispatch.Metadata;
using TieredKv.Server.Dispatch;

namespace TieredKv.Server.Commands;

/// <summary>COMMAND and its subcommands (COUNT, LIST, INFO, DOCS, GETKEYS, GETKEYSANDFLAGS, HELP), as Redis 7.0 answers them from our command table.</summary>
internal static class CommandIntrospection
{
    public static void Register(CommandTable t)
    {
        t.Add(new("command", -1, CommandFlags.None, 0, 0, 0, Command)
        {
            Subcommands = ServerCommands.Subs(
                new CommandSpec("command|count", 2, CommandFlags.None, 0, 0, 0, c => c.Reply.WriteInteger(c.Server.Commands.Count)),
                new CommandSpec("command|info", -2, CommandFlags.None, 0, 0, 0, Info),
                new CommandSpec("command|docs", -2, CommandFlags.None, 0, 0, 0, Docs),
                new CommandSpec("command|list", -2, CommandFlags.None, 0, 0, 0, List),
                new CommandSpec("command|getkeys", -4, CommandFlags.None, 0, 0, 0, c => GetKeys(c, withFlags: false)),
                new CommandSpec("command|getkeysandflags", -4, CommandFlags.None, 0, 0, 0, c => GetKeys(c, withFlags: true)),
                new CommandSpec("command|help", 2, CommandFlags.None, 0, 0, 0, c => HelpText.Write(c, Help))),
        });
    }

    private static readonly string[] Help =
    [
        "COMMAND <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
        "(no subcommand)",
        "    Return details about all Redis commands.",
        "COUNT",
        "    Return the total number of commands in this Redis server.",
        "LIST",
        "    Return a list of all commands in this Redis server.",
        "INFO [<command-name> ...]",
        "    Return details about multiple Redis commands.",
        "    If no command names are given, documentation details for all",
        "    commands are returned.",
        "DOCS [<command-name> ...]",
        "    Return documentation details about multiple Redis commands.",
        "    If no command names are given, documentation details for all",
        "    commands are returned.",
        "GETKEYS <full-command>",
        "    Return the keys from a full Redis command.",
        "GETKEYSANDFLAGS <full-command>",
        "    Return the keys and the access flags from a full Redis command.",
        "HELP",
        "    Prints this help.",
    ];

    private static void Command(CommandContext c)
    {
        if (c.ArgCount > 1)
        {
            ServerCommands.Sub(c);
            return;
        }
        var all = c.Server.Commands.All.ToList();
        c.Reply.WriteArrayHeader(all.Count);
        foreach (var spec in all) WriteInfo(c, spec);
    }

    /// <summary>A command by name, or a subcommand by its full "container|sub" name, as Redis's lookupCommandBySds.</summary>
    private static CommandSpec? Find(CommandContext c, string name)
    {
        int bar = name.IndexOf('|');
        if (bar < 0) return c.Server.Commands.TryGet(Encoding.UTF8.GetBytes(name), out var spec) ? spec : null;
        if (!c.Server.Commands.TryGet(Encoding.UTF8.GetBytes(name[..bar]), out var container) || container!.Subcommands == null) return null;
        return container.Subcommands.TryGetValue(name[(bar + 1)..], out var sub) ? sub : null;
    }

    private static void Info(CommandContext c)
    {
        var specs = new List<CommandSpec?>();
        if (c.ArgCount == 2) specs.AddRange(c.Server.Commands.All);
        for (int i = 2; i < c.ArgCount; i++) specs.Add(Find(c, c.Text(i)));
        c.Reply.WriteArrayHeader(specs.Count);
        foreach (var spec in specs)
        {
            if (spec == null) c.Reply.WriteNull(); // a bulk null, as Redis's addReplyNull
            else WriteInfo(c, spec);
        }
    }

    private static void WriteInfo(CommandContext c, CommandSpec spec) => CommandMetadataWriter.WriteInfo(c.Reply, spec);

    /// <summary>COMMAND DOCS [name ...]: a map of each command found (unknown names are left out, as Redis does) to its docs.</summary>
    private static void Docs(CommandContext c)
    {
        var specs = c.ArgCount == 2
            ? c.Server.Commands.All.ToList()
            : Enumerable.Range(2, c.ArgCount - 2).Select(i => Find(c, c.Text(i))).OfType<CommandSpec>().ToList();
        c.Reply.WriteMapHeader(specs.Count);
        foreach (var spec in specs)
        {
            c.Reply.WriteBulk(spec.Name);
            CommandMetadataWriter.WriteDocs(c.Reply, spec);
        }
    }

    /// <summary>COMMAND LIST [FILTERBY MODULE name | ACLCAT category | PATTERN pattern]: every command and subcommand ("client|id"), as Redis 7.</summary>
    private static void List(CommandContext c)
    {
        Func<CommandSpec, bool> keep = _ => true;
        if (c.ArgCount != 2)
        {
            if (c.ArgCount != 5 || !c.Args.Is(2, "FILTERBY"u8)) throw CommandContext.Syntax();
            if (c.Args.Is(3, "MODULE"u8)) keep = _ => false; // no modules here
            else if (c.Args.Is(3, "ACLCAT"u8))
            {
                string category = c.Text(4).ToLowerInvariant();
                keep = spec => Categories(spec).Contains(category);
            }
            else if (c.Args.Is(3, "PATTERN"u8))
            {
                // Redis matches command names without regard to case.
                byte[] pattern = Encoding.UTF8.GetBytes(c.Text(4).ToLowerInvariant());
                keep = spec => GlobPattern.Match(pattern, Encoding.UTF8.GetBytes(spec.Name));
            }
            else throw CommandContext.Syntax();
        }
        var names = new List<string>();
        foreach (var spec in c.Server.Commands.All)
        {
            if (keep(spec)) names.Add(spec.Name);
            foreach (var sub in spec.Subcommands?.Values ?? [])
                if (keep(sub)) names.Add(sub.Name);
        }
        c.Reply.WriteArrayHeader(names.Count);
        foreach (var n in names) c.Reply.WriteBulk(n);
    }

    /// <summary>A command's ACL categories without their '@', as COMMAND INFO lists them.</summary>
    private static HashSet<string> Categories(CommandSpec spec) =>
        CommandMetadataWriter.Describe(spec).AclCategories.Select(category => category.TrimStart('@')).ToHashSet(StringComparer.Ordinal);

    /// <summary>COMMAND GETKEYS / GETKEYSANDFLAGS full-command: the keys the command line names (with their key-spec flags).</summary>
    private static void GetKeys(CommandContext c, bool withFlags)
    {
        if (!c.Server.Commands.TryGet(c.Args[2], out var spec)) throw new KvException("ERR Invalid command specified");
        int offset = 2;
        if (spec!.Subcommands != null && c.ArgCount > 3)
        {
            if (!spec.Subcommands.TryGetValue(c.Text(3), out var sub)) throw new KvException("ERR Invalid command specified");
            spec = sub;
        }
        if (!CommandKeys.HasKeys(spec)) throw new KvException("ERR The command has no key arguments");
        if (!spec.ArityMatches(c.ArgCount - offset)) throw new KvException("ERR Invalid number of arguments specified for command");
        var keys = CommandKeys.Find(spec, c.Args, offset);
        if (keys == null || keys.Count == 0)
        {
            if (!CommandKeys.KeysOptional(spec)) throw new KvException("ERR Invalid arguments specified for command");
            c.Reply.WriteArrayHeader(0);
            return;
        }
        c.Reply.WriteArrayHeader(keys.Count);
        foreach (var key in keys)
        {
            if (!withFlags)
            {
                c.Reply.WriteBulk(c.Args[key.Index]);
                continue;
            }
            c.Reply.WriteArrayHeader(2);
            c.Reply.WriteBulk(c.Args[key.Index]);
            c.Reply.WriteSetHeader(key.Flags.Count);
            foreach (var flag in key.Flags) c.Reply.WriteSimpleString(flag);
        }
    }
}
