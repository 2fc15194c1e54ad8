using System.Runtime.InteropServices;
using System.Text;
using KeraLua;
using TieredKv.Keyspace;
using TieredKv.Server.Dispatch.Metadata;
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
        local call_native, log_native, sha1_native, killed_native, version, version_num, setresp_native, command_known_native = ...
        local globals = _G
        local type, error, rawget, select, setmetatable, next = type, error, rawget, select, setmetatable, next
        local raw_tostring, raw_pcall, getinfo, sethook = tostring, pcall, debug.getinfo, debug.sethook
        local string_format, math_type, table_concat = string.format, math.type, table.concat
        local tonumber, floor, ceil = tonumber, math.floor, math.ceil

        -- Lua 5.1 names Redis scripts use (the rest of 5.1's surface: LuaSandbox.Lua51.cs).
        unpack = table.unpack
        math.pow = function(x, y) return x ^ y end
        -- Lua 5.1 has only doubles and prints them with %.14g: no ".0" on a whole float, and an integer of more
        -- than 14 digits in exponent form.
        tostring = function(v)
          local kind = math_type(v)
          -- (An integer of up to 14 digits reads the same either way, and raw_tostring is quicker.)
          if kind == 'float' or kind == 'integer' and (v >= 100000000000000 or v <= -100000000000000) then
            return string_format('%.14g', v)
          end
          return raw_tostring(v)
        end
        _VERSION = 'Lua 5.1'
        -- Lua 5.4 names the culprit after the fact ("attempt to index a nil value (local 't')"), Redis's 5.1 before it
        -- ("attempt to index local 't' (a nil value)"); 5.1 had no names for constants and for-iterators.
        local function lua51_message(e)
          -- 5.4 adds the capture's number (and where) to this one.
          e = e:gsub('invalid capture index %%%d+ in replacement string', 'invalid capture index')
               :gsub('invalid capture index %%%d+', 'invalid capture index')
          -- Arithmetic on a string that is not a number fails in 5.4's string metamethods, which name no variable.
          local before, after = e:match("^(.-)attempt to %a+ a '%a+' with a '%a+'(.*)$")
          if before then return before .. 'attempt to perform arithmetic on a string value' .. after end
          local head, value, kind, name, tail = e:match("^(.-attempt to [%a ]-) a (%a+) value %(([%a ]+) '(.-)'%)(.*)$")
          if not head then return e end
          if kind == 'constant' or kind == 'for iterator' then return head .. ' a ' .. value .. ' value' .. tail end
          return head .. ' ' .. kind .. " '" .. name .. "' (a " .. value .. ' value)' .. tail
        end
        -- Redis's pcall hands a script the text of an error reply, not its table.
        pcall = function(...)
          return (function(ok, ...)
            if not ok then
              local e = ...
              if type(e) == 'table' and type(rawget(e, 'err')) == 'string' then return false, e.err end
              if type(e) == 'string' then return false, lua51_message(e) end
            end
            return ok, ...
          end)(raw_pcall(...))
        end

        -- xpcall's handler, too, gets 5.1's wording of a runtime error.
        local raw_xpcall = xpcall
        xpcall = function(f, handler, ...)
          return raw_xpcall(f, function(e)
            if type(e) == 'string' then e = lua51_message(e) end
            return handler(e)
          end, ...)
        end

        -- The sandbox: no files, OS or debugger.
        loadfile, dofile, require, print = nil, nil, nil, nil
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

        -- lua_tonumber then a cast to C's int, as Redis reads setresp's and set_repl's argument: not a number is 0,
        -- out of int's range (or NaN) is x86's "integer indefinite".
        local function c_int(v)
          local n = (type(v) == 'number' or type(v) == 'string') and tonumber(v) or 0
          if n ~= n or n >= 2147483648 or n < -2147483648 then return -2147483648 end
          if n < 0 then return ceil(n) end
          return floor(n)
        end
        redis.setresp = function(...)
          if select('#', ...) ~= 1 then error({err = 'ERR redis.setresp() requires one argument.'}, 0) end
          local resp = c_int((...))
          if resp ~= 2 and resp ~= 3 then error({err = 'ERR RESP version must be 2 or 3.'}, 0) end
          setresp_native(resp)
        end
        -- This server has no replicas and its write-ahead log is the store itself, which a script cannot opt out of:
        -- the flags are checked as Redis checks them and there is no propagation for them to switch.
        redis.REPL_NONE, redis.REPL_AOF, redis.REPL_SLAVE, redis.REPL_REPLICA, redis.REPL_ALL = 0, 1, 2, 2, 3
        redis.set_repl = function(...)
          local n = select('#', ...)
          if n ~= 1 then error({err = 'ERR redis.set_repl() requires two arguments.'}, 0) end
          if c_int((select(n, ...))) & ~3 ~= 0 then
            error({err = 'ERR Invalid replication flags. Use REPL_AOF, REPL_REPLICA, REPL_ALL or REPL_NONE.'}, 0)
          end
        end
        redis.acl_check_cmd = function(...)
          local n = select('#', ...)
          if n == 0 then error({err = 'ERR Please specify at least one argument for this redis lib call'}, 0) end
          for i = 1, n do
            local t = type((select(i, ...)))
            if t ~= 'string' and t ~= 'number' then error({err = 'ERR Lua redis lib command arguments must be strings or integers'}, 0) end
          end
          if not command_known_native(...) then error({err = 'ERR Invalid command passed to redis.acl_check_cmd()'}, 0) end
          -- This server has one user, the default one, allowed every command and key.
          return true
        end
        -- Since Redis 7.0 scripts always replicate their effects; there is no debugger session (SCRIPT DEBUG) here.
        redis.replicate_commands = function() return true end
        redis.breakpoint = function() return false end
        redis.debug = function() end
        globals.redis = redis

        -- Errors become {err=…} tables naming the script line they came from (Redis 7.0's shape).
        -- Lua 5.4, unlike Redis's 5.1, drops the caller's frame when a Lua function is tail-called
        -- ("return redis.call(…)"): the last line a script ran, kept by a line hook, names it then. This
        -- chunk is loaded without line information, so the hook sees only the script's lines.
        -- Every 100000 instructions the hook also asks whether SCRIPT KILL stopped the script (and the server
        -- notes how long it has run).
        local last_line
        -- The chunk running now: its source names the script position when the hook's last line must stand in for it.
        local chunk = {source = '@user_script', pcall = raw_pcall}
        -- Script code is any Lua frame but this sandbox's own, which are loaded stripped (source "=?") or named "=…".
        local function is_script(info) return info.what ~= 'C' and info.source:sub(1, 1) ~= '=' end
        sethook(function(_, line)
          if line then
            last_line = line
          elseif killed_native() then
            error({err = 'ERR Script killed by user with SCRIPT KILL...'}, 0)
          end
        end, 'l', 100000)
        local function error_handler(e)
          if type(e) == 'string' then e = lua51_message(e) end
          if type(e) ~= 'table' then e = {err = 'ERR ' .. raw_tostring(e)} end
          local level = 2
          while true do
            local info = getinfo(level, 'Sl')
            if info == nil then break end
            if is_script(info) then
              e.source, e.line = info.source, info.currentline
              return e
            end
            level = level + 1
          end
          if last_line then e.source, e.line = chunk.source, last_line end
          return e
        end

        -- "user_script:<line>: ", the position Redis's C libraries (cjson, cmsgpack, bit) prefix their errors with.
        local function script_position()
          local level = 2
          while true do
            local info = getinfo(level, 'Sl')
            if info == nil then break end
            if is_script(info) then return info.short_src .. ':' .. info.currentline .. ': ' end
            if info.what == 'C' then return '' end -- called by pcall: Redis's text has no position either
            level = level + 1
          end
          if last_line then return chunk.source:sub(2) .. ':' .. last_line .. ': ' end
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
          __pairs = function() return next, globals, nil end,
          __metatable = false,
        })
        globals._G = protected
        -- Redis keeps its error handler among the globals, where scripts see it.
        globals.__redis__err__handler = error_handler
        return error_handler, protected, chunk, script_position
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
    private readonly LuaFunction _setResp;
    private readonly LuaFunction _commandKnown;
    private readonly LuaFunction _lua51Source;

    /// <summary>The bootstrap's table naming the chunk that runs (its <c>source</c>), and whether that is a function's.</summary>
    private readonly int _chunkRef;
    private bool _runningFunction;

    /// <summary>
    /// The protocol the running script chose with <c>redis.setresp</c> (2 until it calls it, as every script starts):
    /// the protocol its <c>redis.call</c> replies are written in, and how its booleans are returned.
    /// </summary>
    public int ScriptResp { get; private set; } = 2;

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
        _setResp = state => Guarded(state, lua =>
        {
            ScriptResp = (int)lua.ToInteger(1);
            return 0;
        });
        _lua51Source = state => Guarded(state, lua =>
        {
            lua.PushBuffer(Lua51Escapes.Rewrite(lua.ToBuffer(1, false)));
            return 1;
        });
        _commandKnown = state => Guarded(state, lua =>
        {
            lua.PushBoolean(IsRedisCommand(lua));
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
        _lua.PushCFunction(_setResp);
        _lua.PushCFunction(_commandKnown);
        if (_lua.PCall(8, 4, 0) != LuaStatus.OK) throw new InvalidOperationException(_lua.ToString(-1));
        _lua.PushCopy(-1);
        Libraries.ScriptLibraries.Load(_lua); // pops the script position function
        _lua.PushCopy(2); // the environment
        _lua.PushCopy(3); // the running chunk's table
        _lua.PushCFunction(_lua51Source); // for loadstring, which compiles source as scripts are compiled
        _lua.SetField(-2, "lua51_source");
        ApplyLua51Surface(); // pops the position function, the environment and the chunk table
        _chunkRef = _lua.Ref(LuaRegistry.Index);
        _environmentRef = _lua.Ref(LuaRegistry.Index);
        _errorHandlerRef = _lua.Ref(LuaRegistry.Index);
    }

    /// <summary>
    /// Whether the arguments on the stack name a command as Redis's lookupCommand finds one: the command, or with a
    /// second argument the subcommand of a container (a container alone counts). Redis's own command set decides,
    /// as the acl_check_cmd answer does on Redis.
    /// </summary>
    private static bool IsRedisCommand(Lua lua)
    {
        string name = lua.ToString(1);
        // The catalog also finds subcommands by their "container|sub" names; Redis's command table does not.
        var command = name.Contains('|') ? null : CommandMetadataCatalog.Redis.Find(name);
        if (command == null || lua.GetTop() == 1 || command.Subcommands.IsEmpty) return command != null;
        return CommandMetadataCatalog.Redis.Find($"{command.Name}|{lua.ToString(2)}") != null;
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
        if (LoadSource(body, ChunkName) != LuaStatus.OK)
        {
            string message = Lua51SyntaxMessage(Encoding.UTF8.GetString(_lua.ToBuffer(-1, false)));
            _lua.SetTop(0);
            throw new KvException($"ERR Error compiling script (new function): {message}");
        }
        _lua.RawGetInteger(LuaRegistry.Index, _environmentRef);
        _lua.SetUpValue(-2, 1); // a main chunk's only upvalue is its _ENV
        return _lua.Ref(LuaRegistry.Index);
    }

    /// <summary>
    /// Loads source text only, never a precompiled chunk: Lua does not check bytecode, and Redis's Lua parses every
    /// chunk as text. A body that starts as bytecode does (ESC) is parsed as text too, after a space that moves no line,
    /// so that it fails as a syntax error there as in Redis. Its string escapes are read as Lua 5.1 reads them.
    /// </summary>
    private LuaStatus LoadSource(byte[] body, string chunkName)
    {
        body = Lua51Escapes.Rewrite(body);
        if (body.Length > 0 && body[0] == 0x1B) body = [(byte)' ', .. body];
        return _lua.LoadBuffer(body, chunkName, "t");
    }

    /// <summary>
    /// A syntax error as Lua 5.1 words it: 5.4 leaves &lt;eof&gt; and its kin unquoted, says where an unfinished long
    /// string started, and shows a control character as &lt;\27&gt; where 5.1 shows char(27).
    /// </summary>
    internal static string Lua51SyntaxMessage(string message)
    {
        message = UnquotedTokenPattern().Replace(message, m => $"'<{(m.Groups[1].Value == "integer" ? "number" : m.Groups[1].Value)}>'");
        message = LongStringStartPattern().Replace(message, "$1");
        return ControlCharacterPattern().Replace(message, m =>
            int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) is var c && (c < 32 || c == 127) ? $"'char({c})'" : m.Value);
    }

    [System.Text.RegularExpressions.GeneratedRegex(@"(?<!')<(eof|name|number|integer|string)>(?!')")]
    private static partial System.Text.RegularExpressions.Regex UnquotedTokenPattern();

    [System.Text.RegularExpressions.GeneratedRegex(@"(unfinished long (?:string|comment)) \(starting at line \d+\)")]
    private static partial System.Text.RegularExpressions.Regex LongStringStartPattern();

    [System.Text.RegularExpressions.GeneratedRegex(@"'<\\(\d+)>'")]
    private static partial System.Text.RegularExpressions.Regex ControlCharacterPattern();

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
        SetRunningChunk(function: false);
        ScriptResp = 2;
        var status = _lua.PCall(0, 1, 1);
        try
        {
            if (status == LuaStatus.OK) LuaReplyConversion.WriteValue(_lua, 2, reply, ScriptResp);
            else throw new KvException(ErrorText(sha));
        }
        finally
        {
            _lua.SetTop(0);
        }
    }

    /// <summary>
    /// Tells the error handler which chunk runs now (scripts are "@user_script", functions "@user_function"), and
    /// gives it its <c>redis</c> table (a function's lacks EVAL's debugger calls, as in Redis) and its cjson.
    /// </summary>
    private void SetRunningChunk(bool function)
    {
        if (_runningFunction == function) return;
        _runningFunction = function;
        _lua.RawGetInteger(LuaRegistry.Index, _chunkRef);
        _lua.PushString(function ? "@user_function" : "@user_script");
        _lua.SetField(-2, "source");
        _lua.PushGlobalTable();
        _lua.GetField(-2, function ? "function_redis" : "script_redis");
        _lua.SetField(-2, "redis");
        _lua.GetField(-2, function ? "function_cjson" : "script_cjson");
        _lua.SetField(-2, "cjson");
        _lua.Pop(2);
    }

    /// <summary>What SCRIPT FLUSH resets with the scripts' Lua state in Redis: their cjson settings.</summary>
    public void ResetScriptState()
    {
        _lua.SetTop(0);
        _lua.RawGetInteger(LuaRegistry.Index, _chunkRef);
        _lua.GetField(-1, "reset_script_cjson");
        if (_lua.PCall(0, 0, 0) != LuaStatus.OK) throw new InvalidOperationException(_lua.ToString(-1));
        _lua.SetTop(0);
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
