namespace TieredKv.Server.Scripting.Libraries;

/// <summary>
/// Roberto Ierusalimschy's <c>struct</c> library as Redis ships it (lua_struct.c): <c>pack</c>, <c>unpack</c> and
/// <c>size</c> over formats of endianness marks (<c>&lt;</c> <c>&gt;</c>), alignment (<c>!n</c>), padding (<c>x</c>),
/// integers <c>b B h H l L T i[n] I[n]</c>, <c>f</c>, <c>d</c>, <c>c[n]</c> and zero-terminated <c>s</c>, on x86-64
/// (little-endian native order; int 4, long and size_t 8 bytes; maximum alignment 8).
/// </summary>
/// <remarks>
/// The C library does its arithmetic in unsigned 64-bit integers and size_t: an offset below 1 wraps around to a
/// huge one, which then fails the length check; this port keeps those comparisons unsigned (math.ult) to fail alike.
/// Numbers come back as integers when they are whole, as Lua 5.1 would print them.
/// </remarks>
internal static class StructLibrary
{
    public const string Source = """
        local where = ...
        local type, error, select, tonumber, tostring = type, error, select, tonumber, tostring
        local sub, find, byte, char, rep, spack, sunpack = string.sub, string.find, string.byte, string.char, string.rep, string.pack, string.unpack
        local concat, unpack_all = table.concat, table.unpack
        local floor, ceil, tointeger, ult, mininteger = math.floor, math.ceil, math.tointeger, math.ult, math.mininteger
        local MAXINTSIZE, MAXALIGN, INT_MAX = 32, 8, 2147483647
        local FIXED = { b = 1, B = 1, h = 2, H = 2, l = 8, L = 8, T = 8, f = 4, d = 8, x = 1 }
        local INTEGER = { b = true, B = true, h = true, H = true, l = true, L = true, T = true, i = true, I = true }
        local SIGNED = { b = true, h = true, l = true, i = true }

        local function fail(msg) error(where() .. msg, 0) end

        -- luaL_argerror: a function called by pcall has no name in Lua 5.1, and then no script position either.
        local function arg_error(i, fname, msg)
          local at = where()
          error(at .. 'bad argument #' .. i .. " to '" .. (at == '' and '?' or fname) .. "' (" .. msg .. ')', 0)
        end

        local function type_error(i, fname, expected, n, ...)
          local got = i > n and 'no value' or type((select(i, ...)))
          arg_error(i, fname, expected .. ' expected, got ' .. got)
        end

        -- luaL_checknumber: numbers and numeric strings, as Lua 5.1's doubles.
        local function check_number(i, fname, n, ...)
          local v = select(i, ...)
          local t = type(v)
          if i <= n and (t == 'number' or t == 'string') then
            local x = tonumber(v)
            if x then return x + 0.0 end
          end
          type_error(i, fname, 'number', n, ...)
        end

        -- luaL_checklstring: strings, and numbers as Lua 5.1 writes them.
        local function check_string(i, fname, n, ...)
          local v = select(i, ...)
          if i <= n and type(v) == 'string' then return v end
          if i <= n and type(v) == 'number' then return tostring(v) end
          type_error(i, fname, 'string', n, ...)
        end

        -- The format as C sees it: up to its first zero byte.
        local function format_text(fmt)
          local z = find(fmt, '\0', 1, true)
          return z and sub(fmt, 1, z - 1) or fmt
        end

        local function getnum(fmt, i, default)
          if not find(fmt, '^%d', i) then return default, i end
          local a = 0
          while find(fmt, '^%d', i) do
            local digit = byte(fmt, i) - 48
            if a > INT_MAX // 10 or a * 10 > INT_MAX - digit then fail('integral size overflow') end
            a = a * 10 + digit
            i = i + 1
          end
          return a, i
        end

        local function optsize(opt, fmt, i)
          local fixed = FIXED[opt]
          if fixed then return fixed, i end
          if opt == 'c' then return getnum(fmt, i, 1) end
          if opt == 'i' or opt == 'I' then
            local size
            size, i = getnum(fmt, i, 4)
            if size > MAXINTSIZE then fail('integral size ' .. size .. ' is larger than limit of ' .. MAXINTSIZE) end
            return size, i
          end
          return 0, i
        end

        -- Padding bytes before an element of `size` at offset `len`.
        local function gettoalign(len, align, opt, size)
          if size == 0 or opt == 'c' then return 0 end
          if size > align then size = align end
          return (size - (len & (size - 1))) & (size - 1)
        end

        -- Endianness and alignment marks; returns little, align and the format position after the option.
        local function control(opt, fmt, i, little, align, fname)
          if opt == ' ' then return little, align, i end
          if opt == '>' then return false, align, i end
          if opt == '<' then return true, align, i end
          if opt == '!' then
            local a
            a, i = getnum(fmt, i, MAXALIGN)
            if a <= 0 or a & (a - 1) ~= 0 then fail('alignment ' .. a .. ' is not a power of 2') end
            return little, a, i
          end
          arg_error(1, fname, "invalid format option '" .. opt .. "'")
        end

        local function trunc(n) if n < 0 then return ceil(n) end return floor(n) end

        -- The C casts of a double to unsigned long as x86-64 performs them (out of range: the "integer indefinite").
        local function to_u64(n)
          if n < 0 then return n >= -2^63 and trunc(n) or mininteger end
          if n < 2^63 then return trunc(n) end
          if n < 2^64 then return trunc(n - 2^63) | mininteger end
          if n ~= n then return mininteger end
          return 0
        end

        local function put_integer(n, little, size)
          local v, bytes = to_u64(n), {}
          for k = 1, size do
            bytes[little and k or size - k + 1] = char(v & 0xff)
            v = v >> 8
          end
          return concat(bytes)
        end

        local function get_integer(data, pos, little, signed, size)
          local l = 0
          for k = 1, size do
            l = (l << 8) | byte(data, pos + (little and size - k + 1 or k))
          end
          if signed then
            local mask = -1 << ((size * 8 - 1) & 63)
            if l & mask ~= 0 then l = l | mask end
            return l
          end
          if l < 0 then return l + 2.0^64 end
          return l
        end

        local function whole(x)
          if x == 0 then return x end
          return tointeger(x) or x
        end

        local struct = {}

        function struct.pack(...)
          -- The C function pushes a nil after its arguments before it reads them: the first missing one is "nil".
          local n = select('#', ...) + 1
          local fmt = format_text(check_string(1, 'pack', n - 1, ...))
          local out, arg, total, little, align, i = {}, 2, 0, true, 1, 1
          while i <= #fmt do
            local opt = sub(fmt, i, i)
            local size
            size, i = optsize(opt, fmt, i + 1)
            local toalign = gettoalign(total, align, opt, size)
            total = total + toalign
            if toalign > 0 then out[#out + 1] = rep('\0', toalign) end
            if INTEGER[opt] then
              out[#out + 1] = put_integer(check_number(arg, 'pack', n, ...), little, size)
              arg = arg + 1
            elseif opt == 'x' then
              out[#out + 1] = '\0'
            elseif opt == 'f' or opt == 'd' then
              out[#out + 1] = spack((little and '<' or '>') .. opt, check_number(arg, 'pack', n, ...))
              arg = arg + 1
            elseif opt == 'c' or opt == 's' then
              local s = check_string(arg, 'pack', n, ...)
              arg = arg + 1
              if size == 0 then size = #s end
              -- The C checks after moving to the next argument, so it names that one.
              if #s < size then arg_error(arg, 'pack', 'string too short') end
              out[#out + 1] = sub(s, 1, size)
              if opt == 's' then
                out[#out + 1] = '\0'
                size = size + 1
              end
            else
              little, align, i = control(opt, fmt, i, little, align, 'pack')
            end
            total = total + size
          end
          return concat(out)
        end

        function struct.unpack(...)
          local n = select('#', ...)
          local fmt = format_text(check_string(1, 'unpack', n, ...))
          local data = check_string(2, 'unpack', n, ...)
          local pos = 1
          local third = select(3, ...)
          if n >= 3 and third ~= nil then
            local v = tonumber(third)
            if not v or (type(third) ~= 'number' and type(third) ~= 'string') then type_error(3, 'unpack', 'number', n, ...) end
            pos = tointeger(trunc(v)) or mininteger
          end
          if pos == 0 then arg_error(3, 'unpack', 'offset must be 1 or greater') end
          pos = pos - 1
          local ld, results, count, little, align, i = #data, {}, 0, true, 1, 1
          local function fits(size) return not ult(ld, size) and not ult(ld - size, pos) end
          while i <= #fmt do
            local opt = sub(fmt, i, i)
            local size
            size, i = optsize(opt, fmt, i + 1)
            pos = pos + gettoalign(pos, align, opt, size)
            if not fits(size) then arg_error(2, 'unpack', 'data string too short') end
            if INTEGER[opt] then
              count = count + 1
              results[count] = get_integer(data, pos, little, SIGNED[opt], size)
            elseif opt == 'x' then
              -- padding: skipped
            elseif opt == 'f' or opt == 'd' then
              count = count + 1
              results[count] = whole((sunpack((little and '<' or '>') .. opt, data, pos + 1)))
            elseif opt == 'c' then
              if size == 0 then
                local previous = count > 0 and tonumber(results[count])
                if not previous then fail("format 'c0' needs a previous size") end
                size = tointeger(trunc(previous)) or mininteger
                results[count] = nil
                count = count - 1
                if not fits(size) then arg_error(2, 'unpack', 'data string too short') end
              end
              count = count + 1
              results[count] = sub(data, pos + 1, pos + size)
            elseif opt == 's' then
              local e = find(data, '\0', pos + 1, true)
              if not e then fail('unfinished string in data') end
              size = e - pos
              count = count + 1
              results[count] = sub(data, pos + 1, e - 1)
            else
              little, align, i = control(opt, fmt, i, little, align, 'unpack')
            end
            pos = pos + size
          end
          results[count + 1] = pos + 1
          return unpack_all(results, 1, count + 1)
        end

        function struct.size(...)
          local n = select('#', ...)
          local fmt = format_text(check_string(1, 'size', n, ...))
          local pos, little, align, i = 0, true, 1, 1
          while i <= #fmt do
            local opt = sub(fmt, i, i)
            local size
            size, i = optsize(opt, fmt, i + 1)
            pos = pos + gettoalign(pos, align, opt, size)
            if opt == 's' then arg_error(1, 'size', "option 's' has no fixed size")
            elseif opt == 'c' and size == 0 then arg_error(1, 'size', "option 'c0' has no fixed size") end
            -- Unknown letters and digits are skipped here, unlike in pack and unpack.
            if not find(opt, '^%w') then little, align, i = control(opt, fmt, i, little, align, 'size') end
            pos = pos + size
          end
          return pos
        end
        return struct
        """;
}
