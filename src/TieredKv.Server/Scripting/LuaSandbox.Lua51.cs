using KeraLua;

namespace TieredKv.Server.Scripting;

/// <summary>The Lua 5.1 library surface Redis 7.0 scripts see, laid over KeraLua's Lua 5.4 once the preloaded libraries are in.</summary>
internal sealed partial class LuaSandbox
{
    /// <summary>
    /// Runs with the read-only script environment and the script position function. Adds what Redis's Lua 5.1 has and
    /// 5.4 lacks (loadstring, 5.1's load, gcinfo, math.mod/log10/ldexp/frexp/cosh/sinh/tanh/atan2, string.gfind,
    /// table.foreach/foreachi/maxn/setn) and Redis's own math.random; removes what 5.4 added. It runs after the
    /// libraries, which keep the 5.4 functions they captured.
    /// </summary>
    private const string Lua51Surface = """
        local script_position, protected, chunk = ...
        local type, select, error, tostring, tonumber, pairs, ipairs, raw_load, collectgarbage, getmetatable =
          type, select, error, tostring, tonumber, pairs, ipairs, load, collectgarbage, getmetatable
        local floor, ceil, exp, raw_log, raw_fmod, atan, huge = math.floor, math.ceil, math.exp, math.log, math.fmod, math.atan, math.huge
        local mininteger, tointeger, unpack_all = math.mininteger, math.tointeger, table.unpack

        -- luaL_argerror's text; a function called by pcall has no name in Lua 5.1, and then no script position either.
        local function arg_error(i, fname, msg)
          local at = script_position()
          error(at .. 'bad argument #' .. i .. " to '" .. (at == '' and '?' or fname) .. "' (" .. msg .. ')', 0)
        end
        local function fail(msg) error(script_position() .. msg, 0) end

        local function expected(i, fname, what, n, v)
          arg_error(i, fname, what .. ' expected, got ' .. (i > n and 'no value' or type(v)))
        end

        -- luaL_checknumber: numbers and numeric strings, as doubles.
        local function check_number(i, fname, n, v)
          local t = type(v)
          local x = i <= n and (t == 'number' or t == 'string') and tonumber(v)
          if not x then expected(i, fname, 'number', n, v) end
          return x + 0.0
        end

        local function check_string(i, fname, n, v)
          if i <= n and type(v) == 'string' then return v end
          if i <= n and type(v) == 'number' then return tostring(v) end
          expected(i, fname, 'string', n, v)
        end

        local function check_table(i, fname, n, v)
          if i > n or type(v) ~= 'table' then expected(i, fname, 'table', n, v) end
          return v
        end

        -- luaL_checkint: truncated to a 64-bit integer (out of range: the x86 "integer indefinite"), then to C's int.
        local function check_int(i, fname, n, v)
          local x = check_number(i, fname, n, v)
          local whole = x < 0 and ceil(x) or floor(x)
          local i64 = tointeger(whole) or mininteger
          return ((i64 + 0x80000000) & 0xffffffff) - 0x80000000
        end

        -- Loaded code runs over the same read-only globals as the script; only source text is accepted, as Redis's
        -- Lua parses every chunk as text.
        loadstring = function(...)
          local n = select('#', ...)
          local s, name = ...
          s = check_string(1, 'loadstring', n, s)
          if name == nil then name = s else name = check_string(2, 'loadstring', n, name) end
          return raw_load(s, name, 't', protected)
        end
        load = function(...)
          local n = select('#', ...)
          local reader, name = ...
          if n < 1 or type(reader) ~= 'function' then expected(1, 'load', 'function', n, reader) end
          if name == nil then name = '=(load)' else name = check_string(2, 'load', n, name) end
          return raw_load(reader, name, 't', protected)
        end
        gcinfo = function() return floor(collectgarbage('count')) end
        rawlen, warn = nil, nil

        math.fmod = function(...)
          local n = select('#', ...)
          local a, b = ...
          return raw_fmod(check_number(1, 'fmod', n, a), check_number(2, 'fmod', n, b))
        end
        math.mod = math.fmod
        math.log = function(...)
          local n = select('#', ...)
          return raw_log(check_number(1, 'log', n, (...)))
        end
        math.log10 = function(...)
          local n = select('#', ...)
          return raw_log(check_number(1, 'log10', n, (...)), 10)
        end
        math.atan2 = function(...)
          local n = select('#', ...)
          local y, x = ...
          return atan(check_number(1, 'atan2', n, y), check_number(2, 'atan2', n, x))
        end
        math.cosh = function(...)
          local x = check_number(1, 'cosh', select('#', ...), (...))
          return (exp(x) + exp(-x)) / 2
        end
        math.sinh = function(...)
          local x = check_number(1, 'sinh', select('#', ...), (...))
          return (exp(x) - exp(-x)) / 2
        end
        math.tanh = function(...)
          local x = check_number(1, 'tanh', select('#', ...), (...))
          if x > 20 then return 1.0 elseif x < -20 then return -1.0 end
          local a, b = exp(x), exp(-x)
          return (a - b) / (a + b)
        end
        math.ldexp = function(...)
          local n = select('#', ...)
          local m, e = ...
          m, e = check_number(1, 'ldexp', n, m), check_int(2, 'ldexp', n, e)
          -- In steps, so that neither 2^e nor an intermediate product overflows or underflows before the end.
          while e > 1000 do m, e = m * 2.0^1000, e - 1000 end
          while e < -1000 do m, e = m * 2.0^-1000, e + 1000 end
          return m * 2.0^e
        end
        math.frexp = function(...)
          local x = check_number(1, 'frexp', select('#', ...), (...))
          if x == 0 or x ~= x or x == huge or x == -huge then return x, 0 end
          local e = floor(raw_log(x < 0 and -x or x, 2)) + 1
          local m = x / 2.0^e
          if m >= 1 or m <= -1 then m, e = m / 2, e + 1 end
          if m < 0.5 and m > -0.5 then m, e = m * 2, e - 1 end
          return m, e
        end
        math.tointeger, math.type, math.ult, math.maxinteger, math.mininteger = nil, nil, nil, nil, nil

        -- Redis's PRNG (rand.c, lrand48's 48-bit generator) replaces Lua's: seeded once per server, reseeded only
        -- by math.randomseed, so a script's numbers are the same on every server in the same state.
        local state = 0x1234ABCD330E
        local function lrand48()
          state = (0x5DEECE66D * state + 0xB) & 0xFFFFFFFFFFFF
          return state >> 17
        end
        math.random = function(...)
          local n = select('#', ...)
          local r = (lrand48() % 2147483647) / 2147483647.0
          if n == 0 then return r end
          if n == 1 then
            local u = check_int(1, 'random', n, (...))
            if u < 1 then arg_error(1, 'random', 'interval is empty') end
            return floor(r * u) + 1
          end
          if n == 2 then
            local l, u = ...
            l, u = check_int(1, 'random', n, l), check_int(2, 'random', n, u)
            if l > u then arg_error(2, 'random', 'interval is empty') end
            local width = ((u - l + 1 + 0x80000000) & 0xffffffff) - 0x80000000 -- C's int arithmetic wraps
            return floor(r * width) + l
          end
          fail('wrong number of arguments')
        end
        math.randomseed = function(...)
          local seed = check_int(1, 'randomseed', select('#', ...), (...))
          state = ((seed & 0xffffffff) << 16) | 0x330E
        end

        -- Lua 5.1's string.format casts a number for %d and its kin to an integer (dropping the fraction) and writes a
        -- number for %s as tostring does; 5.4 refuses a fraction and writes 3.0 for a float holding 3.
        local raw_format, raw_pcall, find, sub = string.format, pcall, string.find, string.sub
        local INTEGER_CONVERSION = { d = true, i = true, o = true, u = true, x = true, X = true, c = true }
        string.format = function(...)
          local n = select('#', ...)
          local args = { ... }
          local fmt = args[1]
          if type(fmt) == 'string' and n > 1 then
            local at, arg = 1, 1
            while true do
              local s, e, conversion = find(fmt, '%%[-+ #0]*%d*%.?%d*(.)', at)
              if not s then break end
              at = e + 1
              if conversion ~= '%' then
                arg = arg + 1
                local v = args[arg]
                if INTEGER_CONVERSION[conversion] then
                  local x = (type(v) == 'number' or type(v) == 'string') and tonumber(v)
                  if x and not tointeger(x) then
                    local whole = x < 0 and ceil(x) or floor(x)
                    args[arg] = tointeger(whole) or mininteger
                  end
                elseif conversion == 's' and arg <= n then
                  if type(v) == 'number' then args[arg] = tostring(v)
                  elseif type(v) ~= 'string' then expected(arg, 'format', 'string', n, v) end
                end
              end
            end
          end
          local ok, result = raw_pcall(raw_format, unpack_all(args, 1, n))
          if not ok then
            -- Called through pcall, format has no name in the message; the script's call has one.
            local at = script_position()
            if at ~= '' then result = result:gsub("^bad argument (#%d+) to '%?'", "bad argument %1 to 'format'") end
            error(at .. result, 0)
          end
          return result
        end
        string.gfind = string.gmatch
        string.pack, string.unpack, string.packsize = nil, nil, nil

        table.getn = function(...)
          return #check_table(1, 'getn', select('#', ...), (...))
        end
        table.maxn = function(...)
          local t = check_table(1, 'maxn', select('#', ...), (...))
          local max = 0
          for k in pairs(t) do
            if type(k) == 'number' and k > max then max = k end
          end
          return max
        end
        table.setn = function() fail("'setn' is obsolete") end
        table.foreach = function(...)
          local n = select('#', ...)
          local t, f = ...
          check_table(1, 'foreach', n, t)
          if n < 2 or type(f) ~= 'function' then expected(2, 'foreach', 'function', n, f) end
          for k, v in pairs(t) do
            local r = f(k, v)
            if r ~= nil then return r end
          end
        end
        table.foreachi = function(...)
          local n = select('#', ...)
          local t, f = ...
          check_table(1, 'foreachi', n, t)
          if n < 2 or type(f) ~= 'function' then expected(2, 'foreachi', 'function', n, f) end
          for i = 1, #t do
            local r = f(i, t[i])
            if r ~= nil then return r end
          end
        end
        table.unpack, table.pack, table.move = nil, nil, nil
        coroutine.isyieldable, coroutine.close = nil, nil

        -- Redis makes the library tables read-only, as the globals: a script cannot change what the next one sees.
        -- Lua 5.4 has no read-only tables, so each becomes a proxy reading through to it.
        local setmetatable, next, rawset, globals = setmetatable, next, rawset, _ENV -- _G is the scripts' read-only view now
        local function readonly(t)
          return setmetatable({}, {
            __index = t,
            __newindex = function() error('Attempt to modify a readonly table', 2) end,
            __pairs = function() return next, t, nil end,
            __metatable = false,
          })
        end
        for _, name in ipairs({ 'string', 'math', 'table', 'coroutine', 'cjson', 'bit', 'struct', 'cmsgpack' }) do
          rawset(globals, name, readonly(globals[name]))
        end
        -- Functions get the redis table without EVAL's debugger calls (the sandbox swaps them as it runs either).
        local function_redis = {}
        for k, v in pairs(globals.redis) do function_redis[k] = v end
        function_redis.breakpoint, function_redis.debug, function_redis.replicate_commands = nil, nil, nil
        chunk.script_redis, chunk.function_redis = readonly(globals.redis), readonly(function_redis)
        rawset(globals, 'redis', chunk.script_redis)
        getmetatable('').__index = globals.string
        """;

    /// <summary>Expects the script position function, the environment and the running chunk's table on the stack (the last on top); pops them.</summary>
    private void ApplyLua51Surface()
    {
        _lua.GetGlobal("string");
        _lua.GetField(-1, "dump");
        _lua.Remove(-2);
        if (_lua.LoadString(Lua51Surface, "=lua51") != LuaStatus.OK) throw new InvalidOperationException(_lua.ToString(-1));
        _lua.PushBoolean(true);
        if (_lua.PCall(2, 1, 0) != LuaStatus.OK) throw new InvalidOperationException(_lua.ToString(-1));
        byte[] stripped = _lua.ToBuffer(-1, false);
        _lua.Pop(1);
        // Loaded without line information, like the bootstrap: the line hook must see only script lines.
        if (_lua.LoadBuffer(stripped, "=lua51", "b") != LuaStatus.OK) throw new InvalidOperationException(_lua.ToString(-1));
        _lua.Insert(-4);
        if (_lua.PCall(3, 0, 0) != LuaStatus.OK) throw new InvalidOperationException(_lua.ToString(-1));
    }
}
