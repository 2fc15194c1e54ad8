using System.Text;
using KeraLua;
using TieredKv.Keyspace;
using TieredKv.Server.Protocol;

namespace TieredKv.Server.Scripting;

/// <summary>Redis 7.0 functions in the sandbox: running a library's code to collect what it registers, and calling a function.</summary>
internal sealed partial class LuaSandbox
{
    /// <summary>
    /// Runs a library chunk under the error handler with <c>redis.register_function</c> present (only then, as in Redis);
    /// returns (true, registrations) or (false, error text). Validation happens here, in Lua, so that the errors are
    /// raised by Lua itself.
    /// </summary>
    private const string LibraryLoader = """
        local redis, chunk, handler = ...
        local type, pairs, ipairs, select, error = type, pairs, ipairs, select, error
        local known_flags = {['no-writes'] = true, ['allow-oom'] = true, ['allow-stale'] = true, ['no-cluster'] = true, ['allow-cross-slot-keys'] = true}
        local registered, order = {}, {}
        local function fail(message) error({err = 'ERR ' .. message}, 0) end
        redis.register_function = function(...)
          local n = select('#', ...)
          local name, callback, flags, description
          if n == 1 then
            local t = ...
            if type(t) ~= 'table' then fail('calling redis.register_function with a single argument is only applicable to Lua table (representing named arguments).') end
            for k, v in pairs(t) do
              if type(k) ~= 'string' then fail('named argument key given to redis.register_function is not a string') end
              if k == 'function_name' then
                if type(v) ~= 'string' then fail('function_name argument given to redis.register_function must be a string') end
                name = v
              elseif k == 'description' then
                if type(v) ~= 'string' then fail('description argument given to redis.register_function must be a string') end
                description = v
              elseif k == 'callback' then
                if type(v) ~= 'function' then fail('callback argument given to redis.register_function must be a function') end
                callback = v
              elseif k == 'flags' then
                if type(v) ~= 'table' then fail('flags argument to redis.register_function must be a table representing function flags') end
                flags = v
              else
                fail('unknown argument given to redis.register_function')
              end
            end
            if name == nil then fail('redis.register_function must get a function name argument') end
            if callback == nil then fail('redis.register_function must get a callback argument') end
          elseif n == 2 then
            name, callback = ...
            if type(name) ~= 'string' then fail('first argument to redis.register_function must be a string') end
            if type(callback) ~= 'function' then fail('second argument to redis.register_function must be a function') end
          else
            fail('wrong number of arguments to redis.register_function')
          end
          local names = {}
          if flags then
            for _, f in pairs(flags) do
              if type(f) ~= 'string' or not known_flags[f] then fail('unknown flag given') end
              names[#names + 1] = f
            end
          end
          -- Redis 7.0 words a bad function name with the library-name message.
          if not name:find('^[A-Za-z0-9_]+$') then fail('Library names can only contain letters, numbers, or underscores(_) and must be at least one character long') end
          if registered[name] then fail('Function already exists in the library') end
          registered[name] = true
          order[#order + 1] = {name, callback, names, description}
        end
        local ok, e = xpcall(chunk, handler)
        redis.register_function = nil
        if not ok then
          if type(e) == 'table' and type(e.err) == 'string' then return false, e.err end
          return false, 'ERR ' .. tostring(e)
        end
        return true, order
        """;

    private int _libraryLoaderRef = -1;

    /// <summary>
    /// Compiles and runs a library's body (its shebang line blanked); answers what it registered, in order. The chunk
    /// itself is released: only the registered callbacks are kept (by registry reference).
    /// </summary>
    public List<FunctionRegistration> LoadLibrary(byte[] body)
    {
        _lua.SetTop(0);
        if (LoadSource(body, "@user_function") != LuaStatus.OK)
        {
            string message = Lua51SyntaxMessage(Encoding.UTF8.GetString(_lua.ToBuffer(-1, false)));
            _lua.SetTop(0);
            throw new KvException($"ERR Error compiling function: {message}");
        }
        _lua.RawGetInteger(LuaRegistry.Index, _environmentRef);
        _lua.SetUpValue(-2, 1);
        int chunk = _lua.Ref(LuaRegistry.Index);
        try
        {
            if (_libraryLoaderRef < 0)
            {
                if (_lua.LoadString(LibraryLoader, "=library_loader") != LuaStatus.OK) throw new InvalidOperationException(_lua.ToString(-1));
                _libraryLoaderRef = _lua.Ref(LuaRegistry.Index);
            }
            _lua.RawGetInteger(LuaRegistry.Index, _libraryLoaderRef);
            // The table behind the functions' read-only redis: register_function is there while the library loads.
            SetRunningChunk(function: true);
            _lua.RawGetInteger(LuaRegistry.Index, _chunkRef);
            _lua.GetField(-1, "function_redis_table");
            _lua.Remove(-2);
            _lua.RawGetInteger(LuaRegistry.Index, chunk);
            _lua.RawGetInteger(LuaRegistry.Index, _errorHandlerRef);
            if (_lua.PCall(3, 2, 0) != LuaStatus.OK) throw new KvException("ERR Error registering functions: " + _lua.ToString(-1));
            if (!_lua.ToBoolean(1)) throw new KvException("ERR Error registering functions: " + Encoding.UTF8.GetString(_lua.ToBuffer(2, false)));
            return ReadRegistrations();
        }
        finally
        {
            _lua.SetTop(0);
            _lua.Unref(LuaRegistry.Index, chunk);
        }
    }

    /// <summary>Reads the loader's list (at stack index 2) of {name, callback, flag names, description}.</summary>
    private List<FunctionRegistration> ReadRegistrations()
    {
        var result = new List<FunctionRegistration>();
        long count = _lua.RawLen(2);
        for (int i = 1; i <= count; i++)
        {
            _lua.RawGetInteger(2, i); // entry at 3
            _lua.RawGetInteger(3, 1);
            string name = Encoding.UTF8.GetString(_lua.ToBuffer(-1, false));
            _lua.Pop(1);
            _lua.RawGetInteger(3, 4);
            string? description = _lua.Type(-1) == LuaType.String ? Encoding.UTF8.GetString(_lua.ToBuffer(-1, false)) : null;
            _lua.Pop(1);
            var flags = ScriptFlags.Declared;
            _lua.RawGetInteger(3, 3);
            long flagCount = _lua.RawLen(-1);
            for (int f = 1; f <= flagCount; f++)
            {
                _lua.RawGetInteger(-1, f);
                flags |= ScriptShebang.FlagNamed(_lua.ToString(-1));
                _lua.Pop(1);
            }
            _lua.Pop(1);
            _lua.RawGetInteger(3, 2);
            int callback = _lua.Ref(LuaRegistry.Index);
            _lua.Pop(1);
            result.Add(new FunctionRegistration(name, callback, flags, description));
        }
        return result;
    }

    /// <summary>Calls a registered function with its KEYS and ARGV tables as its two arguments; writes what it returns.</summary>
    public void RunFunction(int functionRef, string name, ScriptArguments arguments, RespWriter reply)
    {
        _lua.SetTop(0);
        _lua.RawGetInteger(LuaRegistry.Index, _errorHandlerRef);
        _lua.RawGetInteger(LuaRegistry.Index, functionRef);
        arguments.PushKeys(_lua);
        arguments.PushArgv(_lua);
        SetRunningChunk(function: true);
        ScriptResp = 2;
        var status = _lua.PCall(2, 1, 1);
        try
        {
            if (status == LuaStatus.OK) LuaReplyConversion.WriteValue(_lua, 2, reply, ScriptResp);
            else throw new KvException(ErrorText(name));
        }
        finally
        {
            _lua.SetTop(0);
        }
    }
}
