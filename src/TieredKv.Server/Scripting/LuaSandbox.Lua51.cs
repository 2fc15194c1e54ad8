using KeraLua;

namespace TieredKv.Server.Scripting;

/// <summary>The Lua 5.1 library surface Redis 7.0 scripts see, laid over KeraLua's Lua 5.4 once the preloaded libraries are in.</summary>
internal sealed partial class LuaSandbox
{
    /// <summary>
    /// Runs with the script position function, the read-only script environment and the running chunk's table. Adds
    /// what Redis's Lua 5.1 has and 5.4 lacks (loadstring, 5.1's load, gcinfo, math.mod/log10/ldexp/frexp/cosh/sinh/
    /// tanh/atan2, string.gfind, table.foreach/foreachi/maxn/setn) and Redis's own math.random; gives 5.1's behaviour
    /// to functions 5.4 changed (string.format, sub, byte, rep, char, gsub, tonumber, unpack, assert, table.insert,
    /// remove, concat, math.min/max/fmod/log, coroutine.running); removes what 5.4 added. It runs after the
    /// libraries, which keep the 5.4 functions they captured.
    /// </summary>
    private const string Lua51Surface = """
        local script_position, protected, chunk = ...
        local lua51_source = chunk.lua51_source
        local type, select, error, tostring, tonumber, pairs, ipairs, raw_load, collectgarbage, getmetatable =
          type, select, error, tostring, tonumber, pairs, ipairs, load, collectgarbage, getmetatable
        local floor, ceil, exp, raw_log, raw_fmod, atan, huge = math.floor, math.ceil, math.exp, math.log, math.fmod, math.atan, math.huge
        local mininteger, tointeger, math_type, unpack_all = math.mininteger, math.tointeger, math.type, table.unpack

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
        -- A syntax error as 5.1 words it (see LuaSandbox.Lua51SyntaxMessage).
        local SYNTAX_TOKENS = { eof = true, name = true, number = true, integer = true, string = true }
        local function lua51_syntax(message)
          message = message:gsub('<(%a+)>', function(w)
            if SYNTAX_TOKENS[w] then return "'<" .. (w == 'integer' and 'number' or w) .. ">'" end
          end)
          message = message:gsub("''(<%a+>)''", "'%1'"):gsub(' %(starting at line %d+%)', '')
          return (message:gsub("'<\\(%d+)>'", function(code)
            code = tonumber(code)
            if code < 32 or code == 127 then return "'char(" .. code .. ")'" end
          end))
        end
        local function loaded(f, message)
          if f then return f end
          return nil, lua51_syntax(message)
        end
        loadstring = function(...)
          local n = select('#', ...)
          local s, name = ...
          s = check_string(1, 'loadstring', n, s)
          if name == nil then name = s else name = check_string(2, 'loadstring', n, name) end
          -- As the sandbox loads a script: 5.1's escapes, text only, and what starts as bytecode does parsed as text.
          local source = lua51_source(s)
          if source:byte(1) == 27 then source = ' ' .. source end
          return loaded(raw_load(source, name, 't', protected))
        end
        load = function(...)
          local n = select('#', ...)
          local reader, name = ...
          if n < 1 or type(reader) ~= 'function' then expected(1, 'load', 'function', n, reader) end
          if name == nil then name = '=(load)' else name = check_string(2, 'load', n, name) end
          return loaded(raw_load(reader, name, 't', protected))
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
        local FORMAT_CONVERSION = { d = true, i = true, o = true, u = true, x = true, X = true, c = true, e = true,
                                    E = true, f = true, g = true, G = true, q = true, s = true }
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
                if arg <= n and not FORMAT_CONVERSION[conversion] then fail("invalid option '%" .. conversion .. "' to 'format'") end
                if INTEGER_CONVERSION[conversion] then
                  local x = (type(v) == 'number' or type(v) == 'string') and tonumber(v)
                  if x and not tointeger(x) then
                    local whole = x < 0 and ceil(x) or floor(x)
                    args[arg] = tointeger(whole) or mininteger
                  end
                elseif (conversion == 's' or conversion == 'q') and arg <= n then
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


        -- Lua 5.1 reads an integer argument by truncating a number (or a numeric string) with a fraction; 5.4
        -- refuses it ("number has no integer representation"). These wrappers truncate, then call the 5.4 function
        -- protected: its error gets back what the wrapper's own frame hides from it, the script position, and in an
        -- argument error the function's name (none under the script's own pcall, as in 5.1).
        local raw_pcall = chunk.pcall
        local function finish(fname, ok, ...)
          if ok then return ... end
          local message, at = ..., script_position()
          if type(message) == 'string' then
            message = message:gsub("^bad argument (#%d+) to '[^']*'", "bad argument %1 to '" .. (at == '' and '?' or fname) .. "'")
          end
          error(at .. message, 0)
        end
        local function call(fname, raw, ...) return finish(fname, raw_pcall(raw, ...)) end

        local function int(v)
          local t = type(v)
          if t ~= 'number' and t ~= 'string' then return v end
          local x = tonumber(v)
          if not x or tointeger(x) then return v end
          return tointeger(x < 0 and ceil(x) or floor(x)) or mininteger
        end
        -- The common case (the first argument of the right type, the integer ones integers or absent) calls the
        -- 5.4 function directly: it cannot fail then. Arguments past the third are dropped, as the C functions ignore them.
        -- (An argument passed as nil is taken for an absent one: their error texts differ, "got nil" or "got no value".)
        local function truncating(lib, name, first_type, first_optional)
          local raw = lib[name]
          lib[name] = function(v, a, b)
            if (type(v) == first_type or first_type == 'string' and type(v) == 'number')
               and (first_optional and a == nil and b == nil or math_type(a) == 'integer' and (b == nil or math_type(b) == 'integer')) then
              return raw(v, a, b)
            end
            if b ~= nil then return call(name, raw, v, int(a), int(b)) end
            if a ~= nil then return call(name, raw, v, int(a)) end
            if v ~= nil then return call(name, raw, v) end
            return call(name, raw)
          end
        end
        truncating(string, 'sub', 'string', false)
        truncating(string, 'byte', 'string', true)
        truncating(_ENV, 'unpack', 'table', true)
        local truncating_unpack = unpack
        unpack = function(...)
          local t = ...
          if type(t) ~= 'table' then check_table(1, 'unpack', select('#', ...), t) end
          return truncating_unpack(...)
        end

        -- string.rep has no separator in 5.1.
        local raw_rep = string.rep
        string.rep = function(...)
          local n = select('#', ...)
          local s, count = ...
          if n == 2 and type(s) == 'string' and math_type(count) == 'integer' then return raw_rep(s, count) end
          if n < 2 then return call('rep', raw_rep, ...) end
          return call('rep', raw_rep, s, int(count))
        end

        -- gsub's replacement: 5.1 takes "%x" for a plain x when x is not a digit; 5.4 refuses it.
        local raw_gsub = string.gsub
        local function plain_escape(c) return c == '%' and '%%' or c end
        string.gsub = function(...)
          local n = select('#', ...)
          local s, pattern, repl, max = ...
          if type(repl) == 'string' and find(repl, '%', 1, true) then
            repl = raw_gsub(repl, '%%(%D)', plain_escape)
            return call('gsub', raw_gsub, s, pattern, repl, max)
          end
          return call('gsub', raw_gsub, ...)
        end

        -- tonumber: 5.1 reads a string with C's strtod, which also takes inf, infinity and nan.
        local raw_tonumber, lower, match = tonumber, string.lower, string.match
        local NAN = 0 / 0
        if raw_format('%f', NAN):sub(1, 1) == '-' then NAN = -NAN end
        _ENV.tonumber = function(...)
          local v, base = ...
          if v == nil or base ~= nil or type(v) ~= 'string' then return call('tonumber', raw_tonumber, ...) end
          local x = raw_tonumber(v)
          if x ~= nil then return x end
          local sign, word = match(v, '^%s*([-+]?)(%a+)%s*$')
          if not word then
            sign, word = match(v, '^%s*([-+]?)(nan%([%w_]*%))%s*$')
            if not word then return nil end
            word = 'nan'
          end
          word = lower(word)
          if word == 'inf' or word == 'infinity' then return sign == '-' and -huge or huge end
          if word == 'nan' then return sign == '-' and -NAN or NAN end
          return nil
        end

        -- coroutine.running answers nil in the main thread, where scripts run.
        local raw_running = coroutine.running
        coroutine.running = function()
          local co, main = raw_running()
          if main then return nil end
          return co
        end

        -- string.char: 5.1 truncates each code and calls one out of 0..255 "invalid value".
        local raw_char = string.char
        string.char = function(...)
          local n = select('#', ...)
          local codes = { ... }
          for i = 1, n do
            local c = codes[i]
            local x = (type(c) == 'number' or type(c) == 'string') and tonumber(c)
            if not x then expected(i, 'char', 'number', n, c) end
            x = int(x)
            if x < 0 or x > 255 then arg_error(i, 'char', 'invalid value') end
            codes[i] = x
          end
          return raw_char(unpack_all(codes, 1, n))
        end

        local raw_select = select

        -- math.min and math.max check that every argument is a number (or a numeric string, which counts as one).
        local function extreme(fname, raw)
          return function(...)
            local n = raw_select('#', ...)
            local a, b = ...
            if n == 2 and math_type(a) and math_type(b) then return raw(a, b) end
            local args = { ... }
            for i = 1, n > 0 and n or 1 do
              local v = args[i]
              local x = i <= n and (type(v) == 'number' or type(v) == 'string') and tonumber(v)
              if not x then expected(i, fname, 'number', n, v) end
              args[i] = x
            end
            return raw(unpack_all(args, 1, n))
          end
        end
        math.min, math.max = extreme('min', math.min), extreme('max', math.max)

        -- assert's message must be a string (or a number) in 5.1, and is raised with the script position.
        assert = function(...)
          if (...) then return ... end
          local n = raw_select('#', ...)
          if n == 0 then arg_error(1, 'assert', 'value expected') end
          if n >= 2 then
            local message = raw_select(2, ...)
            if message ~= nil then
              if type(message) == 'number' then message = tostring(message)
              elseif type(message) ~= 'string' then expected(2, 'assert', 'string', n, message) end
              fail(message)
            end
          end
          fail('assertion failed!')
        end

        -- table.insert, remove and concat as 5.1's: no position checks (raw access past the end), and concat
        -- writes numbers as tostring does.
        local raw_concat, rawget_, rawset_ = table.concat, rawget, rawset
        table.insert = function(t, a, ...)
          local n = raw_select('#', ...)
          if n == 0 and type(t) == 'table' then
            rawset_(t, #t + 1, a)
            return
          end
          n = n + 2
          local b = ...
          check_table(1, 'insert', n, t)
          local e = #t + 1
          if n ~= 3 then fail("wrong number of arguments to 'insert'") end
          local pos = check_int(2, 'insert', n, a)
          if pos > e then e = pos end
          for i = e, pos + 1, -1 do rawset_(t, i, rawget_(t, i - 1)) end
          rawset_(t, pos, b)
        end
        table.remove = function(...)
          local n = raw_select('#', ...)
          local t, p = ...
          check_table(1, 'remove', n, t)
          local e = #t
          local pos = (n < 2 or p == nil) and e or check_int(2, 'remove', n, p)
          if not (1 <= pos and pos <= e) then return end
          local result = rawget_(t, pos)
          for i = pos, e - 1 do rawset_(t, i, rawget_(t, i + 1)) end
          rawset_(t, e, nil)
          return result
        end
        table.concat = function(t, sep, i, j)
          if type(t) == 'table' then
            local first, last = int(i) or 1, int(j) or #t
            if type(first) == 'number' and type(last) == 'number' then
              for k = first, last do
                local v = rawget_(t, k)
                if type(v) == 'number' and not tointeger(v) then
                  -- A float: the elements go through tostring, on a copy.
                  local copy = {}
                  for m = first, last do
                    local w = rawget_(t, m)
                    copy[m - first + 1] = type(w) == 'number' and tostring(w) or w
                  end
                  return call('concat', raw_concat, copy, sep)
                end
              end
            end
            return call('concat', raw_concat, t, sep, first, last)
          end
          return call('concat', raw_concat, t, sep, i, j)
        end
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

        """;

    /// <summary>
    /// Expects the script position function, the environment and the running chunk's table on the stack (the last on
    /// top); runs the 5.1 surface, then the read-only tables, with them, and pops them.
    /// </summary>
    private void ApplyLua51Surface()
    {
        for (int i = 0; i < 3; i++) _lua.PushCopy(-3);
        RunStripped(Lua51Surface, "=lua51");
        RunStripped(ReadOnlyTables, "=readonly");
    }

    /// <summary>Runs a chunk with the three values on top of the stack as its arguments (popping them), loaded without line information.</summary>
    private void RunStripped(string source, string name)
    {
        _lua.GetGlobal("string");
        _lua.GetField(-1, "dump");
        _lua.Remove(-2);
        if (_lua.LoadString(source, name) != LuaStatus.OK) throw new InvalidOperationException(_lua.ToString(-1));
        _lua.PushBoolean(true);
        if (_lua.PCall(2, 1, 0) != LuaStatus.OK) throw new InvalidOperationException(_lua.ToString(-1));
        byte[] stripped = _lua.ToBuffer(-1, false);
        _lua.Pop(1);
        // Like the bootstrap: the line hook must see only script lines.
        if (_lua.LoadBuffer(stripped, name, "b") != LuaStatus.OK) throw new InvalidOperationException(_lua.ToString(-1));
        _lua.Insert(-4);
        if (_lua.PCall(3, 0, 0) != LuaStatus.OK) throw new InvalidOperationException(_lua.ToString(-1));
    }
}
