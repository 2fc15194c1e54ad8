using TieredKv.Keyspace;
using TieredKv.Rdb;
using TieredKv.Server.Dispatch;
using TieredKv.Server.Scripting;

namespace TieredKv.Server.Commands;

/// <summary>FCALL, FCALL_RO and FUNCTION (LOAD, DELETE, FLUSH, LIST, STATS, KILL, DUMP, RESTORE, HELP), Redis 7.0's functions.</summary>
internal static class FunctionCommands
{
    private static readonly string[] FunctionHelp =
    [
        "FUNCTION <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
        "LOAD [REPLACE] <FUNCTION CODE>",
        "    Create a new library with the given library name and code.",
        "DELETE <LIBRARY NAME>",
        "    Delete the given library.",
        "LIST [LIBRARYNAME PATTERN] [WITHCODE]",
        "    Return general information on all the libraries:",
        "    * Library name",
        "    * The engine used to run the Library",
        "    * Library description",
        "    * Functions list",
        "    * Library code (if WITHCODE is given)",
        "    It also possible to get only function that matches a pattern using LIBRARYNAME argument.",
        "STATS",
        "    Return information about the current function running:",
        "    * Function name",
        "    * Command used to run the function",
        "    * Duration in MS that the function is running",
        "    If no function is running, return nil",
        "    In addition, returns a list of available engines.",
        "KILL",
        "    Kill the current running function.",
        "FLUSH [ASYNC|SYNC]",
        "    Delete all the libraries.",
        "    When called without the optional mode argument, the behavior is determined by the",
        "    lazyfree-lazy-user-flush configuration directive. Valid modes are:",
        "    * ASYNC: Asynchronously flush the libraries.",
        "    * SYNC: Synchronously flush the libraries.",
        "DUMP",
        "    Return a serialized payload representing the current libraries, can be restored using FUNCTION RESTORE command",
        "RESTORE <PAYLOAD> [FLUSH|APPEND|REPLACE]",
        "    Restore the libraries represented by the given payload, it is possible to give a restore policy to",
        "    control how to handle existing libraries (default APPEND):",
        "    * FLUSH: delete all existing libraries.",
        "    * APPEND: appends the restored libraries to the existing libraries. On collision, abort.",
        "    * REPLACE: appends the restored libraries to the existing libraries, On collision, replace the old",
        "      libraries with the new libraries (notice that even on this option there is a chance of failure",
        "      in case of functions name collision with another library).",
        "HELP",
        "    Prints this help.",
    ];

    public static void Register(CommandTable t, ScriptRunner runner)
    {
        t.Add(new("fcall", -3, CommandFlags.None, 0, 0, 0, c => runner.FCall(c, readOnlyCommand: false)));
        t.Add(new("fcall_ro", -3, CommandFlags.ReadOnly, 0, 0, 0, c => runner.FCall(c, readOnlyCommand: true)));
        t.Add(new("function", -2, CommandFlags.None, 0, 0, 0, c => ServerCommands.Sub(c))
        {
            Subcommands = ServerCommands.Subs(
                new CommandSpec("function|load", -3, CommandFlags.Write, 0, 0, 0, c => Load(c, runner)),
                new CommandSpec("function|delete", 3, CommandFlags.Write, 0, 0, 0, c =>
                {
                    runner.DeleteLibrary(c, c.Text(2));
                    c.Reply.WriteOk();
                }),
                new CommandSpec("function|flush", -2, CommandFlags.Write, 0, 0, 0, c => Flush(c, runner)),
                new CommandSpec("function|list", -2, CommandFlags.None, 0, 0, 0, c => List(c, runner)),
                new CommandSpec("function|stats", 2, CommandFlags.None, 0, 0, 0, c => Stats(c, runner)),
                new CommandSpec("function|kill", 2, CommandFlags.None, 0, 0, 0, ScriptingCommands.Kill),
                new CommandSpec("function|dump", 2, CommandFlags.None, 0, 0, 0, c => c.Reply.WriteBulk(runner.DumpLibraries(c))),
                new CommandSpec("function|restore", -3, CommandFlags.Write, 0, 0, 0, c => Restore(c, runner)),
                new CommandSpec("function|help", 2, CommandFlags.None, 0, 0, 0, c => HelpText.Write(c, FunctionHelp))),
        });
    }

    /// <summary>FUNCTION LOAD [REPLACE] code: the code is the last argument, options come before it.</summary>
    private static void Load(CommandContext c, ScriptRunner runner)
    {
        bool replace = false;
        for (int i = 2; i < c.ArgCount - 1; i++)
        {
            if (c.Args.Is(i, "REPLACE"u8)) replace = true;
            else throw new KvException($"ERR Unknown option given: {c.Text(i)}");
        }
        c.Reply.WriteBulk(runner.LoadLibrary(c, c.Arg(c.ArgCount - 1), replace));
    }

    private static void Flush(CommandContext c, ScriptRunner runner)
    {
        if (c.ArgCount > 3 || (c.ArgCount == 3 && !c.Args.Is(2, "ASYNC"u8) && !c.Args.Is(2, "SYNC"u8)))
            throw new KvException("ERR FUNCTION FLUSH only supports SYNC|ASYNC option");
        runner.FlushLibraries(c);
        c.Reply.WriteOk();
    }

    /// <summary>FUNCTION LIST [LIBRARYNAME pattern] [WITHCODE]: each library as a map, its functions as maps, as Redis 7.0 replies.</summary>
    private static void List(CommandContext c, ScriptRunner runner)
    {
        bool withCode = false;
        byte[]? pattern = null;
        for (int i = 2; i < c.ArgCount; i++)
        {
            if (c.Args.Is(i, "WITHCODE"u8) && !withCode) withCode = true;
            else if (c.Args.Is(i, "LIBRARYNAME"u8) && pattern == null)
            {
                if (i + 1 >= c.ArgCount) throw new KvException("ERR library name argument was not given");
                pattern = c.Arg(++i);
            }
            else throw new KvException($"ERR Unknown argument {c.Text(i)}");
        }
        var libraries = runner.Libraries(c, pattern);
        var reply = c.Reply;
        reply.WriteArrayHeader(libraries.Count);
        foreach (var library in libraries)
        {
            reply.WriteMapHeader(withCode ? 4 : 3);
            reply.WriteBulk("library_name");
            reply.WriteBulk(library.Name);
            reply.WriteBulk("engine");
            reply.WriteBulk("LUA");
            reply.WriteBulk("functions");
            reply.WriteArrayHeader(library.Functions.Count);
            foreach (var function in library.Functions)
            {
                reply.WriteMapHeader(3);
                reply.WriteBulk("name");
                reply.WriteBulk(function.Name);
                reply.WriteBulk("description");
                if (function.Description is { } description) reply.WriteBulk(description);
                else reply.WriteNull();
                reply.WriteBulk("flags");
                var names = FlagNames(function.Flags).ToList();
                reply.WriteSetHeader(names.Count);
                foreach (var name in names) reply.WriteSimpleString(name);
            }
            if (withCode)
            {
                reply.WriteBulk("library_code");
                reply.WriteBulk(library.Code);
            }
        }
    }

    /// <summary>Redis lists a function's flags in its own order, whatever order they were declared in.</summary>
    private static IEnumerable<string> FlagNames(ScriptFlags flags)
    {
        if (flags.HasFlag(ScriptFlags.NoWrites)) yield return "no-writes";
        if (flags.HasFlag(ScriptFlags.AllowOom)) yield return "allow-oom";
        if (flags.HasFlag(ScriptFlags.AllowStale)) yield return "allow-stale";
        if (flags.HasFlag(ScriptFlags.NoCluster)) yield return "no-cluster";
        if (flags.HasFlag(ScriptFlags.AllowCrossSlotKeys)) yield return "allow-cross-slot-keys";
    }

    /// <summary>FUNCTION STATS: the running function (always nil here: while one runs, this command waits for it) and the engine's counts.</summary>
    private static void Stats(CommandContext c, ScriptRunner runner)
    {
        var (libraries, functions) = runner.FunctionCounts(c);
        var reply = c.Reply;
        reply.WriteMapHeader(2);
        reply.WriteBulk("running_script");
        reply.WriteNull();
        reply.WriteBulk("engines");
        reply.WriteMapHeader(1);
        reply.WriteBulk("LUA");
        reply.WriteMapHeader(2);
        reply.WriteBulk("libraries_count");
        reply.WriteInteger(libraries);
        reply.WriteBulk("functions_count");
        reply.WriteInteger(functions);
    }

    private static void Restore(CommandContext c, ScriptRunner runner)
    {
        string policy = "APPEND";
        if (c.ArgCount > 4) throw new KvException($"ERR unknown subcommand or wrong number of arguments for '{c.Text(1)}'. Try FUNCTION HELP.");
        if (c.ArgCount == 4)
        {
            policy = c.Text(3).ToUpperInvariant();
            if (policy is not ("FLUSH" or "APPEND" or "REPLACE")) throw new KvException("ERR Wrong restore policy given, value should be either FLUSH, APPEND or REPLACE.");
        }
        runner.RestoreLibraries(c, FunctionsPayload.Decode(c.Arg(2)), policy);
        c.Reply.WriteOk();
    }
}
