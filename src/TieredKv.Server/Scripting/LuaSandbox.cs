using System.Runtime.InteropServices;
using System.Text;
using KeraLua;
using TieredKv.Keyspace;
using TieredKv.Server.Protocol;

namespace TieredKv.Server.Scripting;

/// <summary>
/// The one Lua state scripts run in, set up as Redis 7.0's: a <c>redis</c> library, Lua 5.1 names scripts still use,
/// no file or OS access, and globals scripts can read but not create. Redis embeds Lua 5.1; KeraLua ships a native
/// Lua 5.4 for linux-x64, so the differences scripts meet most are shimmed in <see cref="Bootstrap"/>.
/// Not thread-safe: the runner holds its lock around every use.
/// </summary>
/// <remarks>
/// Lua raises errors with longjmp, which must never cross a .NET frame: the C# functions Lua calls never raise,
/// they return (ok, value) and small Lua wrappers raise for them.
/// </remarks>
internal sealed partial class LuaSandbox : IDisposable
{
    public const string ChunkName = "@user_script";

    /// <summary>
    /// Runs once with the C# functions as arguments; returns the error handler scripts run under and the read-only
    /// global environment user scripts get as <c>_ENV</c>.
    /// </summary>
    private const string Bootstrap = """
        local call_native, log_native, sha1_native, killed_native, version, version_num = ...
        local globals = _G
        local type, error, rawget, select, setmetatable = type, error, rawget, select, setmetatable
        local raw_tostring, raw_pcall, getinfo, sethook = tostring, pcall, debug.getinfo, debug.sethook
        local string_format, math_type, table_concat = string.format, math.type, table.concat

        -- Lua 5.1 names Redis scripts use.
        unpack = table.unpack
        math.pow = function(x, y) return x ^ y end
        table.getn = function(t) return #t end
        -- Lua 5.1 prints a float holding an integer without ".0" (its format is %.14g).
        tostring = function(v)
          if math_type(v) == 'float' then return string_format('%.14g', v) end
          return raw_tostring(v)
        end
        -- Redis's pcall hands a script the text of an error reply, not its table.
        pcall = function(...)
          return (function(ok, ...)
            if not ok then
              local e = ...
              if type(e) == 'table' and type(rawget(e, 'err')) == 'string' then return false, e.err end
            end
            return ok, ...
          end)(raw_pcall(...))
        end

        -- The sandbox: no code loading, files, OS or debugger.
        load, loadstring, loadfile, dofile, require, print = nil, nil, nil, nil, nil, nil
        io, os, package, debug, utf8 = nil, nil, nil, nil, nil

        local redis = {}
        redis.LOG_DEBUG, redis.LOG_VERBOSE, redis.LOG_NOTICE, redis.LOG_WARNING = 0, 1, 2, 3
        redis.REDIS_VERSION, redis.REDIS_VERSION_NUM = version, version_num
        redis.call = function(...)
          local ok, reply = call_native(...)
          if not ok then error(reply, 0) end
          return reply
        end
        redis.pcall = function(...)
          local _, reply = call_native(...)
          return reply
        end
        local function single_string(...)
          if select('#', ...) ~= 1 or type((...)) ~= 'string' then return nil end
          return (...)
        end
        redis.error_reply = function(...)
          local s = single_string(...)
          if s == nil then return {err = 'ERR wrong number or type of arguments'} end
          if s:sub(1, 1) == '-' then s = s:sub(2) end
          -- A message without an error code gets Redis's generic one.
          if not s:find(' ', 1, true) then s = 'ERR ' .. s end
          return {err = s}
        end
        redis.status_reply = function(...)
          local s = single_string(...)
          if s == nil then return {err = 'ERR wrong number or type of arguments'} end
          return {ok = s}
        end
        redis.sha1hex = function(...)
          if select('#', ...) ~= 1 then error('wrong number of arguments', 0) end
          local s = ...
          if type(s) == 'number' then s = tostring(s) end
          if type(s) ~= 'string' then s = '' end
          return sha1_native(s)
        end
        redis.log = function(...)
          local n = select('#', ...)
          if n < 2 then error('redis.log() requires two arguments or more.', 0) end
          local level = ...
          if type(level) ~= 'number' then error('First argument must be a number (log level).', 0) end
          if level < 0 or level > 3 then error('Invalid debug level.', 0) end
          local parts = {}
          for i = 2, n do
            local v = select(i, ...)
            parts[#parts + 1] = (type(v) == 'string' or type(v) == 'number') and tostring(v) or ''
          end
          log_native(level, table_concat(parts, ' '))
        end
        globals.redis = redis

        -- Errors become {err=…} tables naming the script line they came from (Redis 7.0's shape).
        -- Lua 5.4, unlike Redis's 5.1, drops the caller's frame when a Lua function is tail-called
        -- ("return redis.call(…)"): the last line a script ran, kept by a line hook, names it then. This
        -- chunk is loaded without line information, so the hook sees only the script's lines.
        -- Every 100000 instructions the hook also asks whether SCRIPT KILL stopped the script (and the server
        -- notes how long it has run).
        local last_line
        sethook(function(_, line)
          if line then
            last_line = line
          elseif killed_native() then
            error({err = 'ERR Script killed by user with SCRIPT KILL...'}, 0)
          end
        end, 'l', 100000)
        local function error_handler(e)
          if type(e) ~= 'table' then e = {err = 'ERR ' .. raw_tostring(e)} end
          local level = 2
          while true do
            local info = getinfo(level, 'Sl')
            if info == nil then break end
            if info.source == '@user_script' then
              e.source, e.line = info.source, info.currentline
              return e
            end
            level = level + 1
          end
          if last_line then e.source, e.line = '@user_script', last_line end
          return e
        end

        -- "user_script:<line>: ", the position Redis's C libraries (cjson, cmsgpack, bit) prefix their errors with.
        local function script_position()
          local level = 2
          while true do
            local info = getinfo(level, 'Sl')
            if info == nil then break end
            if info.source == '@user_script' then return 'user_script:' .. info.currentline .. ': ' end
            if info.what == 'C' then return '' end -- called by pcall: Redis's text has no position either
            level = level + 1
          end
          if last_line then return 'user_script:' .. last_line .. ': ' end
          return ''
        end

        -- Scripts read globals through this table and may not create or change any.
        local protected = setmetatable({}, {
          __index = function(_, k)
            local v = rawget(globals, k)
            if v == nil then error("Script attempted to access nonexistent global variable '" .. raw_tostring(k) .. "'", 2) end
            return v
          end,
          __newindex = function() error('Attempt to modify a readonly table', 2) end,
          __metatable = false,
        })
        globals._G = protected
        return error_handler, protected, script_position
        """;

    private const string StrippedLoader = """
        local source = ...
        return load(string.dump(assert(load(source, '=bootstrap')), true), '=bootstrap', 'b')
        """;

    private readonly Lua _lua;
    private readonly int _errorHandlerRef;
    private readonly int _environmentRef;

    // Lua holds only native pointers to these: the fields keep the delegates alive.
    private readonly LuaFunction _log;
    private readonly LuaFunction _sha1;
    private readonly LuaFunction _killed;

    /// <summary>redis.call's command runner, reached from Lua through <see cref="_self"/>: the hot path has no delegate thunk.</summary>
    private readonly Func<Lua, int> _call;
    private GCHandle _self;

    /// <param name="call">Runs <c>redis.call</c>'s command from the arguments on the stack; pushes ok (boolean) and the reply; returns 2.</param>
    /// <param name="log">Writes a <c>redis.log</c> message at a Redis log level (0 debug … 3 warning).</param>
    /// <param name="killed">Called every 100000 instructions: whether the running script must stop.</param>
    public LuaSandbox(Func<Lua, int> call, Action<int, string> log, Func<bool> killed, string redisVersion, long redisVersionNumber)
    {
        _lua = new Lua(openLibs: true);
        _call = call;
        _self = GCHandle.Alloc(this, GCHandleType.Weak); // weak: it must not keep an undisposed sandbox alive
        _log = state => Guarded(state, lua =>
        {
            log((int)lua.ToInteger(1), Encoding.UTF8.GetString(lua.ToBuffer(2, false)));
            return 0;
        });
        _sha1 = state => Guarded(state, lua =>
        {
            lua.PushString(ScriptCache.Sha1Hex(lua.ToBuffer(1, false)));
            return 1;
        });
        _killed = state => Guarded(state, lua =>
        {
            lua.PushBoolean(killed());
            return 1;
        });
        // The bootstrap is compiled, then loaded again stripped of its line information (see the line hook in it).
        if (_lua.LoadString(StrippedLoader, "=loader") != LuaStatus.OK) throw new InvalidOperationException(_lua.ToString(-1));
        _lua.PushString(Bootstrap);
        if (_lua.PCall(1, 1, 0) != LuaStatus.OK) throw new InvalidOperationException(_lua.ToString(-1));
        unsafe
        {
            LuaNative.PushFunction(_lua, &CallCommand, _self);
        }
        _lua.PushCFunction(_log);
        _lua.PushCFunction(_sha1);
        _lua.PushCFunction(_killed);
        _lua.PushString(redisVersion);
        _lua.PushInteger(redisVersionNumber);
        if (_lua.PCall(6, 3, 0) != LuaStatus.OK) throw new InvalidOperationException(_lua.ToString(-1));
        Libraries.ScriptLibraries.Load(_lua); // pops the script position function
        _environmentRef = _lua.Ref(LuaRegistry.Index);
        _errorHandlerRef = _lua.Ref(LuaRegistry.Index);
    }

    /// <summary>redis.call's C function: the command on the stack, run by the runner; pushes ok and the reply.</summary>
    [UnmanagedCallersOnly]
    private static int CallCommand(IntPtr state)
    {
        try
        {
            return LuaNative.Target<LuaSandbox>(state)._call(Lua.FromIntPtr(state));
        }
        catch (Exception)
        {
            // The runner answers every failure as an error reply; nothing may unwind into Lua's native frames.
            Lua.FromIntPtr(state).SetTop(0);
            return 0;
        }
    }

    /// <summary>A C# function Lua calls must not let an exception reach the native frames below it.</summary>
    private static int Guarded(IntPtr state, Func<Lua, int> body)
    {
        var lua = Lua.FromIntPtr(state);
        try
        {
            return body(lua);
        }
        catch (Exception)
        {
            lua.SetTop(0);
            return 0;
        }
    }

    /// <summary>Compiles a script body into a function over the read-only globals; returns its registry reference.</summary>
    public int Compile(byte[] body)
    {
        _lua.SetTop(0);
        if (_lua.LoadBuffer(body, ChunkName) != LuaStatus.OK)
        {
            string message = Encoding.UTF8.GetString(_lua.ToBuffer(-1, false));
            _lua.SetTop(0);
            throw new KvException($"ERR Error compiling script (new function): {message}");
        }
        _lua.RawGetInteger(LuaRegistry.Index, _environmentRef);
        _lua.SetUpValue(-2, 1); // a main chunk's only upvalue is its _ENV
        return _lua.Ref(LuaRegistry.Index);
    }

    public void Release(int functionRef) => _lua.Unref(LuaRegistry.Index, functionRef);

    /// <summary>
    /// Runs a compiled script with its KEYS and ARGV and writes what it returns as the reply; an error it raises
    /// becomes Redis's "… script: &lt;sha&gt;, on @user_script:&lt;line&gt;." error.
    /// </summary>
    public void Run(int functionRef, string sha, ScriptArguments arguments, RespWriter reply)
    {
        _lua.SetTop(0);
        arguments.PushKeys(_lua);
        _lua.SetGlobal("KEYS");
        arguments.PushArgv(_lua);
        _lua.SetGlobal("ARGV");
        _lua.RawGetInteger(LuaRegistry.Index, _errorHandlerRef);
        _lua.RawGetInteger(LuaRegistry.Index, functionRef);
        var status = _lua.PCall(0, 1, 1);
        try
        {
            if (status == LuaStatus.OK) LuaReplyConversion.WriteValue(_lua, 2, reply);
            else throw new KvException(ErrorText(sha));
        }
        finally
        {
            _lua.SetTop(0);
        }
    }

    /// <summary>The error the handler left on top of the stack, worded as Redis 7.0 does.</summary>
    private string ErrorText(string sha)
    {
        if (_lua.Type(-1) != LuaType.Table) return $"ERR unknown error script: {sha}";
        string error = LuaReplyConversion.StringField(_lua, -1, "err") ?? "ERR unknown error";
        _lua.PushString("line");
        _lua.RawGet(-2);
        long? line = _lua.Type(-1) == LuaType.Number ? _lua.ToInteger(-1) : null;
        _lua.Pop(1);
        string? source = LuaReplyConversion.StringField(_lua, -1, "source");
        return line is { } l && source != null ? $"{error} script: {sha}, on {source}:{l}." : $"{error} script: {sha}";
    }

    public void Dispose()
    {
        _lua.Dispose();
        if (_self.IsAllocated) _self.Free();
    }
}
