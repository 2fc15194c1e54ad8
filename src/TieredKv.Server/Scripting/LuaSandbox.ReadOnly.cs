using KeraLua;

namespace TieredKv.Server.Scripting;

/// <summary>Redis's read-only library tables, which Lua 5.4 lacks, made of proxies over the tables.</summary>
internal sealed partial class LuaSandbox
{
    /// <summary>
    /// Runs last, with the script position function, the scripts' read-only environment and the running chunk's
    /// table. Redis makes the library tables read-only, as the globals, so that a script cannot change what the next
    /// one sees: each library global becomes a proxy reading through to its table, the raw functions read through
    /// proxies and refuse to change them, and the strings' metatable is shown read-only.
    /// </summary>
    private const string ReadOnlyTables = """
        local script_position, protected, chunk = ...
        local type, error, ipairs, pairs, setmetatable, getmetatable, next, rawset, rawget, globals =
          type, error, ipairs, pairs, setmetatable, getmetatable, next, rawset, rawget, _ENV
        local raw_pcall = chunk.pcall

        -- A raw function's own errors, called protected, get the script position back (and its name).
        local function finish(fname, ok, ...)
          if ok then return ... end
          local message, at = ..., script_position()
          if type(message) == 'string' then
            message = message:gsub("^bad argument (#%d+) to '[^']*'", "bad argument %1 to '" .. (at == '' and '?' or fname) .. "'")
          end
          error(at .. message, 0)
        end
        local function call(fname, raw, ...) return finish(fname, raw_pcall(raw, ...)) end

        -- The raw functions see through a proxy to its table, and refuse to change one, as Redis's refuse to
        -- change a read-only table. The scripts' _G is such a proxy over the globals.
        local real_of = setmetatable({}, { __mode = 'k' })
        real_of[protected] = globals
        local function readonly(t)
          local proxy = setmetatable({}, {
            __index = t,
            __newindex = function() error('Attempt to modify a readonly table', 2) end,
            __pairs = function() return next, t, nil end,
            __metatable = false,
          })
          real_of[proxy] = t
          return proxy
        end
        for _, name in ipairs({ 'string', 'math', 'table', 'coroutine', 'bit', 'struct', 'cmsgpack' }) do
          rawset(globals, name, readonly(globals[name]))
        end
        -- Redis runs scripts and functions in two Lua states: each has its own cjson settings, and SCRIPT FLUSH, which
        -- makes the scripts' state anew, resets theirs. The sandbox swaps the two as it runs either.
        local script_cjson, function_cjson = globals.cjson, {}
        for k, v in pairs(script_cjson.new()) do function_cjson[k] = v end
        chunk.script_cjson, chunk.function_cjson = readonly(script_cjson), readonly(function_cjson)
        chunk.reset_script_cjson = function()
          for k, v in pairs(script_cjson.new()) do script_cjson[k] = v end
        end
        rawset(globals, 'cjson', chunk.script_cjson)
        -- Functions get the redis table without EVAL's debugger calls (the sandbox swaps them as it runs either).
        local function_redis = {}
        for k, v in pairs(globals.redis) do function_redis[k] = v end
        function_redis.breakpoint, function_redis.debug, function_redis.replicate_commands = nil, nil, nil
        chunk.script_redis, chunk.function_redis = readonly(globals.redis), readonly(function_redis)
        chunk.function_redis_table = function_redis
        rawset(globals, 'redis', chunk.script_redis)

        local function refuse() error('Attempt to modify a readonly table', 0) end
        _ENV.rawset = function(t, k, v)
          if real_of[t] then refuse() end
          if type(t) == 'table' then return rawset(t, k, v) end
          return call('rawset', rawset, t, k, v)
        end
        _ENV.rawget = function(t, k)
          local real = real_of[t]
          if real then return rawget(real, k) end
          if type(t) == 'table' then return rawget(t, k) end
          return call('rawget', rawget, t, k)
        end
        _ENV.next = function(t, k)
          local real = real_of[t]
          if real then return next(real, k) end
          if type(t) == 'table' then return next(t, k) end
          return call('next', next, t, k)
        end
        _ENV.setmetatable = function(t, mt)
          if real_of[t] then refuse() end
          return call('setmetatable', setmetatable, t, mt)
        end
        local raw_getmetatable = getmetatable
        _ENV.getmetatable = function(v)
          if real_of[v] then return nil end
          return raw_getmetatable(v)
        end
        -- Strings' metatable is read-only too: getmetatable('') answers a read-only view of it.
        local string_meta = raw_getmetatable('')
        string_meta.__index = globals.string
        string_meta.__metatable = readonly(string_meta)
        """;
}
