using System.Buffers.Text;
using System.Text;
using KeraLua;
using Microsoft.Extensions.Logging;
using TieredKv.Keyspace;
using TieredKv.Server.Dispatch;
using TieredKv.Server.Dispatch.Metadata;
using TieredKv.Server.Protocol;

namespace TieredKv.Server.Scripting;

/// <summary>
/// EVAL and its kin, and the SCRIPT cache, for one server: scripts run one at a time, atomically (under the
/// execution lock held exclusively, as EXEC runs its queue), and their <c>redis.call</c>s go through the command table.
/// </summary>
internal sealed partial class ScriptRunner : IDisposable
{
    private readonly Lock _lock = new();
    private readonly ScriptCache _cache = new();
    private readonly LuaSandbox _sandbox;

    /// <summary>The script running now (under <see cref="_lock"/>), for the commands it calls.</summary>
    private readonly ScriptRun _run = new();

    public ScriptRunner(string redisVersion)
    {
        var parts = redisVersion.Split('.').Select(int.Parse).ToArray();
        _sandbox = new LuaSandbox(CallCommand, Log, Killed, redisVersion, (parts[0] << 16) | (parts[1] << 8) | parts[2]);
    }

    /// <summary>EVAL, EVALSHA and their _RO forms: <c>script|sha numkeys key… arg…</c>.</summary>
    public void Eval(CommandContext c, bool bySha, bool readOnlyCommand)
    {
        var arguments = Arguments(c, c.Integer(2));
        using var scope = new AtomicScope(c, _lock);
        CachedScript script;
        if (bySha) script = _cache.Find(c.Args[1]) ?? throw new KvException("NOSCRIPT No matching script. Please use EVAL.");
        else script = Load(c.Arg(1));
        if (readOnlyCommand && script.Flags.HasFlag(ScriptFlags.Declared) && !script.Flags.HasFlag(ScriptFlags.NoWrites))
            throw new KvException("ERR Can not execute a script with write flag using *_ro command.");
        Begin(c, readOnlyCommand || script.Flags.HasFlag(ScriptFlags.NoWrites));
        try
        {
            _sandbox.Run(script.FunctionRef, script.Sha, arguments, c.Reply);
        }
        finally
        {
            End(c);
        }
    }

    /// <summary>KEYS and ARGV of EVAL or FCALL (<c>name numkeys key… arg…</c>), with Redis's errors for a bad numkeys.</summary>
    private static ScriptArguments Arguments(CommandContext c, long numKeys)
    {
        if (numKeys > c.ArgCount - 3) throw new KvException("ERR Number of keys can't be greater than number of args");
        if (numKeys < 0) throw new KvException("ERR Number of keys can't be negative");
        return new ScriptArguments(c.Args, 3, (int)numKeys);
    }

    /// <summary>
    /// Holds what makes a script atomic: the execution lock exclusively (inside EXEC, EXEC holds it already), so no
    /// other client's command interleaves, and the runner's lock, as the Lua state is not thread-safe.
    /// </summary>
    private readonly ref struct AtomicScope
    {
        private readonly ServerState? _lockedServer;
        private readonly Lock.Scope _runner;

        public AtomicScope(CommandContext c, Lock runnerLock)
        {
            if (!c.Client.Transaction.InExec)
            {
                c.Server.ExecutionLock.EnterWriteLock();
                _lockedServer = c.Server;
            }
            _runner = runnerLock.EnterScope();
        }

        public void Dispose()
        {
            _runner.Dispose();
            _lockedServer?.ExecutionLock.ExitWriteLock();
        }
    }

    /// <summary>Makes <paramref name="c"/>'s script the one the commands it calls see; <see cref="End"/> undoes it.</summary>
    private void Begin(CommandContext c, bool readOnly)
    {
        _run.Start(c, readOnly, c.Server.Options.BusyReplyThreshold);
        c.Server.BusyScript.Start();
        c.Client.InScript = true;
    }

    private void End(CommandContext c)
    {
        c.Client.InScript = false;
        c.Server.BusyScript.Stop();
        // Since Redis 7.0 a SELECT inside a script does not change the caller's database.
        c.Client.Database = _run.CallerDatabase;
        _run.Clear();
    }

    /// <summary>SCRIPT LOAD: compiles and caches the script, answering its SHA1.</summary>
    public string LoadScript(byte[] script)
    {
        lock (_lock) return Load(script).Sha;
    }

    private CachedScript Load(byte[] text)
    {
        string sha = ScriptCache.Sha1Hex(text);
        if (_cache.TryGet(sha, out var cached)) return cached!;
        var (flags, body) = ScriptShebang.Parse(text);
        var script = new CachedScript(sha, flags, _sandbox.Compile(body));
        _cache.Add(script);
        return script;
    }

    public bool Exists(string sha)
    {
        lock (_lock) return _cache.TryGet(sha.ToLowerInvariant(), out _);
    }

    /// <summary>SCRIPT FLUSH: forgets every script and frees its function.</summary>
    public void Flush()
    {
        lock (_lock)
        {
            foreach (var script in _cache.Clear()) _sandbox.Release(script.FunctionRef);
            _sandbox.ResetScriptState();
        }
    }

    /// <summary>
    /// <c>redis.call</c>/<c>redis.pcall</c>: checks the command as Redis checks a script's, runs it through the
    /// dispatcher and pushes (ok, reply converted to Lua). Never throws: Lua is below on the native stack.
    /// </summary>
    private int CallCommand(Lua lua)
    {
        try
        {
            var inner = _run.Call ?? throw new InvalidOperationException("redis.call outside a script");
            var args = inner.Args;
            args.Clear();
            _run.CallOutput.ResetWrittenCount();
            if (Refusal(lua, _run, args, out var spec) is { } refusal)
            {
                lua.SetTop(0);
                lua.PushBoolean(false);
                LuaReplyConversion.PushSingleFieldTable(lua, "err", Encoding.UTF8.GetBytes(refusal));
                return 2;
            }
            // The called command answers in the protocol the script chose with redis.setresp.
            inner.Reply.Protocol = _sandbox.ScriptResp;
            Dispatcher.CallQueued(inner, spec!);
            lua.SetTop(0);
            var bytes = _run.CallOutput.WrittenSpan;
            lua.PushBoolean(bytes.Length > 0 && bytes[0] != '-');
            int offset = 0;
            if (bytes.Length == 0) lua.PushBoolean(false);
            else LuaReplyConversion.PushReply(lua, bytes, ref offset);
            return 2;
        }
        catch (Exception e)
        {
            lua.SetTop(0);
            lua.PushBoolean(false);
            LuaReplyConversion.PushSingleFieldTable(lua, "err", Encoding.UTF8.GetBytes("ERR " + e.Message));
            return 2;
        }
    }

    /// <summary>
    /// Reads the command from the Lua stack into <paramref name="args"/> and finds it; the error Redis gives a script
    /// for it, or null.
    /// </summary>
    private static string? Refusal(Lua lua, ScriptRun run, CommandArgs args, out CommandSpec? spec)
    {
        spec = null;
        int count = lua.GetTop();
        if (count == 0) return "ERR Please specify at least one argument for this redis lib call";
        Span<byte> number = stackalloc byte[32];
        for (int i = 1; i <= count; i++)
        {
            switch (lua.Type(i))
            {
                case LuaType.String:
                    var text = LuaNative.StringAt(lua, i);
                    text.CopyTo(args.Add(text.Length));
                    break;
                // An integer a double holds exactly reads the same in decimal as in Redis's %.17g; a larger one does not.
                case LuaType.Number when lua.IsInteger(i) && lua.ToInteger(i) is > -9007199254740992 and < 9007199254740992
                                         && Utf8Formatter.TryFormat(lua.ToInteger(i), number, out int written):
                    number[..written].CopyTo(args.Add(written));
                    break;
                case LuaType.Number:
                    var formatted = Encoding.ASCII.GetBytes(LuaReplyConversion.NumberArgument(lua, i));
                    formatted.CopyTo(args.Add(formatted.Length));
                    break;
                default:
                    return "ERR Lua redis lib command arguments must be strings or integers";
            }
        }
        var server = run.Call!.Server;
        if (!server.Commands.TryGet(args[0], out spec)) return "ERR Unknown Redis command called from script";
        var target = spec!;
        if (spec!.Subcommands != null && count >= 2)
        {
            if (!spec.Subcommands.TryGetValue(args.ToText(1), out var sub)) return "ERR Unknown Redis command called from script";
            target = sub;
        }
        if (!spec.ArityMatches(count) || !target.ArityMatches(count)) return "ERR Wrong number of args calling Redis command from script";
        if (CommandMetadataCatalog.Redis.Find(target.Name) is { } meta && meta.Flags.Contains("noscript"))
            return "ERR This Redis command is not allowed from script";
        if (!target.Flags.HasFlag(CommandFlags.Write)) return null;
        if (run.ReadOnly) return "ERR Write commands are not allowed from read-only scripts.";
        server.BusyScript.MarkWrote();
        return null;
    }

    /// <summary>The hook's question: past busy-reply-threshold the server turns busy (0 never does); then SCRIPT KILL may stop the script.</summary>
    private bool Killed()
    {
        if (_run.Call is not { } call) return false;
        var run = _run;
        var busy = call.Server.BusyScript;
        if (!busy.IsBusy && run.BusyAfterMs > 0 && Environment.TickCount64 - run.StartedAt >= run.BusyAfterMs) busy.MarkBusy();
        return busy.KillRequested;
    }

    private void Log(int level, string message)
    {
        var logger = _run.Call?.Server.Logger;
        logger?.Log(level switch { 0 => LogLevel.Debug, 1 => LogLevel.Debug, 2 => LogLevel.Information, _ => LogLevel.Warning }, "{Script}", message);
    }

    public void Dispose() => _sandbox.Dispose();
}
