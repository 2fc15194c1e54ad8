using TieredKv.Keyspace;
using TieredKv.Server.Dispatch;
using TieredKv.Server.Scripting;

namespace TieredKv.Server.Commands;

/// <summary>EVAL, EVALSHA, EVAL_RO, EVALSHA_RO and SCRIPT (LOAD, EXISTS, FLUSH, KILL, DEBUG, HELP).</summary>
internal static class ScriptingCommands
{
    private static readonly string[] ScriptHelp =
    [
        "SCRIPT <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
        "DEBUG (YES|SYNC|NO)",
        "    Set the debug mode for subsequent scripts executed.",
        "EXISTS <sha1> [<sha1> ...]",
        "    Return information about the existence of the scripts in the script cache.",
        "FLUSH [ASYNC|SYNC]",
        "    Flush the Lua scripts cache. Very dangerous on replicas.",
        "    When called without the optional mode argument, the behavior is determined by the",
        "    lazyfree-lazy-user-flush configuration directive. Valid modes are:",
        "    * ASYNC: Asynchronously flush the scripts cache.",
        "    * SYNC: Synchronously flush the scripts cache.",
        "KILL",
        "    Kill the currently executing Lua script.",
        "LOAD <script>",
        "    Load a script into the scripts cache without executing it.",
        "HELP",
        "    Prints this help.",
    ];

    /// <summary>Registers the commands; answers the runner, which FUNCTION and FCALL share (one Lua state per server).</summary>
    public static ScriptRunner Register(CommandTable t)
    {
        // One Lua state and script cache per command table, that is per server.
        var runner = new ScriptRunner(ServerCommands.CompatibleVersion);
        t.Add(new("eval", -3, CommandFlags.None, 0, 0, 0, c => runner.Eval(c, bySha: false, readOnlyCommand: false)));
        t.Add(new("evalsha", -3, CommandFlags.None, 0, 0, 0, c => runner.Eval(c, bySha: true, readOnlyCommand: false)));
        t.Add(new("eval_ro", -3, CommandFlags.ReadOnly, 0, 0, 0, c => runner.Eval(c, bySha: false, readOnlyCommand: true)));
        t.Add(new("evalsha_ro", -3, CommandFlags.ReadOnly, 0, 0, 0, c => runner.Eval(c, bySha: true, readOnlyCommand: true)));
        t.Add(new("script", -2, CommandFlags.None, 0, 0, 0, c => ServerCommands.Sub(c))
        {
            Subcommands = ServerCommands.Subs(
                new CommandSpec("script|debug", 3, CommandFlags.None, 0, 0, 0, Debug),
                new CommandSpec("script|exists", -3, CommandFlags.None, 0, 0, 0, c => Exists(c, runner)),
                new CommandSpec("script|flush", -2, CommandFlags.None, 0, 0, 0, c => Flush(c, runner)),
                new CommandSpec("script|help", 2, CommandFlags.None, 0, 0, 0, c => HelpText.Write(c, ScriptHelp)),
                new CommandSpec("script|kill", 2, CommandFlags.None, 0, 0, 0, Kill),
                new CommandSpec("script|load", 3, CommandFlags.None, 0, 0, 0, c => c.Reply.WriteBulk(runner.LoadScript(c.Arg(2))))),
        });
        return runner;
    }

    private static void Exists(CommandContext c, ScriptRunner runner)
    {
        c.Reply.WriteArrayHeader(c.ArgCount - 2);
        for (int i = 2; i < c.ArgCount; i++) c.Reply.WriteInteger(runner.Exists(c.Text(i)) ? 1 : 0);
    }

    private static void Flush(CommandContext c, ScriptRunner runner)
    {
        if (c.ArgCount > 3 || (c.ArgCount == 3 && !c.Args.Is(2, "ASYNC"u8) && !c.Args.Is(2, "SYNC"u8)))
            throw new KvException("ERR SCRIPT FLUSH only support SYNC|ASYNC option");
        runner.Flush();
        c.Reply.WriteOk();
    }

    /// <summary>
    /// Only a script past busy-reply-threshold can be killed (the dispatcher runs SCRIPT KILL without the lock then);
    /// one that wrote is not, as in Redis: it would leave half its writes. FUNCTION KILL is the same for functions.
    /// </summary>
    internal static void Kill(CommandContext c)
    {
        var busy = c.Server.BusyScript;
        if (!busy.IsBusy) throw new KvException("NOTBUSY No scripts in execution right now.");
        if (busy.Wrote)
            throw new KvException("UNKILLABLE Sorry the script already executed write commands against the dataset. You can either wait the script termination or kill the server in a hard way using the SHUTDOWN NOSAVE command.");
        busy.RequestKill();
        c.Reply.WriteOk();
    }

    /// <summary>Only NO is supported: the Lua debugger (YES, SYNC) is not implemented.</summary>
    private static void Debug(CommandContext c)
    {
        if (c.Args.Is(2, "NO"u8))
        {
            c.Reply.WriteOk();
            return;
        }
        if (c.Args.Is(2, "YES"u8) || c.Args.Is(2, "SYNC"u8)) throw new KvException("ERR SCRIPT DEBUG YES/SYNC is not supported by this server");
        throw new KvException("ERR Use SCRIPT DEBUG YES/SYNC/NO");
    }
}
