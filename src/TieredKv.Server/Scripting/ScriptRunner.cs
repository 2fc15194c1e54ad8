using System.Buffers;
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
    private ScriptRun? _current;

    private sealed record ScriptRun(CommandContext Context, bool ReadOnly, long StartedAt, long BusyAfterMs);

    public ScriptRunner(string redisVersion)
    {
        var parts = redisVersion.Split('.').Select(int.Parse).ToArray();
        _sandbox = new LuaSandbox(CallCommand, Log, Killed, redisVersion, (parts[0] << 16) | (parts[1] << 8) | parts[2]);
    }

    /// <summary>EVAL, EVALSHA and their _RO forms: <c>script|sha numkeys key… arg…</c>.</summary>
    public void Eval(CommandContext c, bool bySha, bool readOnlyCommand)
    {
        long numKeys = c.Integer(2);
        if (numKeys > c.ArgCount - 3) throw new KvException("ERR Number of keys can't be greater than number of args");
        if (numKeys < 0) throw new KvException("ERR Number of keys can't be negative");
        var keys = new List<byte[]>((int)numKeys);
        for (int i = 0; i < numKeys; i++) keys.Add(c.Arg(3 + i));
        var argv = c.ArgList(3 + (int)numKeys);
        Atomically(c, () =>
        {
            CachedScript script;
            if (bySha)
            {
                if (!_cache.TryGet(c.Text(1).ToLowerInvariant(), out var found)) throw new KvException("NOSCRIPT No matching script. Please use EVAL.");
                script = found!;
            }
            else script = Load(c.Arg(1));
            if (readOnlyCommand && script.Flags.HasFlag(ScriptFlags.Declared) && !script.Flags.HasFlag(ScriptFlags.NoWrites))
                throw new KvException("ERR Can not execute a script with write flag using *_ro command.");
            Run(c, readOnlyCommand || script.Flags.HasFlag(ScriptFlags.NoWrites), () => _sandbox.Run(script.FunctionRef, script.Sha, keys, argv, c.Reply));
        });
    }

    /// <summary>Runs under the execution lock held exclusively (inside EXEC it is held already) and the runner's own lock.</summary>
    private void Atomically(CommandContext c, Action body)
    {
        var server = c.Server;
        bool takeLock = !c.Client.Transaction.InExec;
        if (takeLock) server.ExecutionLock.EnterWriteLock();
        try
        {
            lock (_lock) body();
        }
        finally
        {
            if (takeLock) server.ExecutionLock.ExitWriteLock();
        }
    }

    /// <summary>Runs a script or function as the script the commands it calls see (<see cref="_current"/>).</summary>
    private void Run(CommandContext c, bool readOnly, Action execute)
    {
        // Since Redis 7.0 a SELECT inside a script does not change the caller's database.
        int database = c.Client.Database;
        long busyAfter = c.Server.Options.BusyReplyThreshold;
        _current = new ScriptRun(c, readOnly, Environment.TickCount64, busyAfter);
        c.Server.BusyScript.Start();
        try
        {
            execute();
        }
        finally
        {
            c.Server.BusyScript.Stop();
            _current = null;
            c.Client.Database = database;
        }
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
            foreach (var script in _cache.Clear()) _sandbox.Release(script.FunctionRef);
    }

    /// <summary>
    /// <c>redis.call</c>/<c>redis.pcall</c>: checks the command as Redis checks a script's, runs it through the
    /// dispatcher and pushes (ok, reply converted to Lua). Never throws: Lua is below on the native stack.
    /// </summary>
    private int CallCommand(Lua lua)
    {
        try
        {
            var run = _current ?? throw new InvalidOperationException("redis.call outside a script");
            var args = new CommandArgs();
            if (Refusal(lua, run, args) is { } refusal)
            {
                lua.SetTop(0);
                lua.PushBoolean(false);
                LuaReplyConversion.PushSingleFieldTable(lua, "err", Encoding.UTF8.GetBytes(refusal));
                return 2;
            }
            var output = new ArrayBufferWriter<byte>();
            var reply = new RespWriter(output) { Protocol = _sandbox.ScriptResp };
            var inner = new CommandContext(run.Context.Server, run.Context.Client, args, reply);
            run.Context.Server.Commands.TryGet(args[0], out var spec);
            Dispatcher.CallQueued(inner, spec!);
            lua.SetTop(0);
            var bytes = output.WrittenSpan;
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

    /// <summary>Reads the command from the Lua stack into <paramref name="args"/>; the error Redis gives a script for it, or null.</summary>
    private static string? Refusal(Lua lua, ScriptRun run, CommandArgs args)
    {
        int count = lua.GetTop();
        if (count == 0) return "ERR Please specify at least one argument for this redis lib call";
        for (int i = 1; i <= count; i++)
        {
            byte[] arg = lua.Type(i) switch
            {
                LuaType.String => lua.ToBuffer(i, false),
                LuaType.Number => Encoding.ASCII.GetBytes(LuaReplyConversion.NumberArgument(lua, i)),
                _ => [],
            };
            if (lua.Type(i) is not (LuaType.String or LuaType.Number)) return "ERR Lua redis lib command arguments must be strings or integers";
            arg.CopyTo(args.Add(arg.Length));
        }
        if (!run.Context.Server.Commands.TryGet(args[0], out var spec)) return "ERR Unknown Redis command called from script";
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
        run.Context.Server.BusyScript.MarkWrote();
        return null;
    }

    /// <summary>The hook's question: past busy-reply-threshold the server turns busy (0 never does); then SCRIPT KILL may stop the script.</summary>
    private bool Killed()
    {
        if (_current is not { } run) return false;
        var busy = run.Context.Server.BusyScript;
        if (!busy.IsBusy && run.BusyAfterMs > 0 && Environment.TickCount64 - run.StartedAt >= run.BusyAfterMs) busy.MarkBusy();
        return busy.KillRequested;
    }

    private void Log(int level, string message)
    {
        var logger = _current?.Context.Server.Logger;
        logger?.Log(level switch { 0 => LogLevel.Debug, 1 => LogLevel.Debug, 2 => LogLevel.Information, _ => LogLevel.Warning }, "{Script}", message);
    }

    public void Dispose() => _sandbox.Dispose();
}
