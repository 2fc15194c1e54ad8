namespace TieredKv.Server.Scripting.Libraries;

/// <summary>
/// Redis's <c>cmsgpack</c> (lua-cmsgpack): MessagePack pack of any number of values and unpack, unpack_one and
/// unpack_limit. As there, a number holding an integer packs as the smallest integer type, other numbers as a
/// float32 when that is exact else a float64; a table is an array when its keys are exactly 1..n, else a map.
/// </summary>
internal static class CMsgPackLibrary
{
    public const string Source = """
        local where = ...
        local type, error, pairs, select, tointeger = type, error, pairs, select, math.tointeger
        local tonumber, mininteger = tonumber, math.mininteger
        local spack, sunpack, byte, sub, concat = string.pack, string.unpack, string.byte, string.sub, table.concat
        local MAX_NESTING = 16

        local function raise(msg) error(where() .. msg, 0) end

        local function is_array(t)
          local count, max = 0, 0
          for k in pairs(t) do
            local i = type(k) == 'number' and tointeger(k)
            if not i or i < 1 then return false end
            count = count + 1
            if i > max then max = i end
          end
          return max == count, count
        end

        local pack_value
        local function pack_integer(n, out)
          if n >= 0 then
            if n < 128 then out[#out + 1] = spack('B', n)
            elseif n < 0x100 then out[#out + 1] = spack('>BB', 0xcc, n)
            elseif n < 0x10000 then out[#out + 1] = spack('>BI2', 0xcd, n)
            elseif n < 0x100000000 then out[#out + 1] = spack('>BI4', 0xce, n)
            else out[#out + 1] = spack('>Bi8', 0xcf, n) end
          else
            if n >= -32 then out[#out + 1] = spack('b', n)
            elseif n >= -128 then out[#out + 1] = spack('>Bb', 0xd0, n)
            elseif n >= -32768 then out[#out + 1] = spack('>Bi2', 0xd1, n)
            elseif n >= -2147483648 then out[#out + 1] = spack('>Bi4', 0xd2, n)
            else out[#out + 1] = spack('>Bi8', 0xd3, n) end
          end
        end

        local function pack_header(n, fix, fixmax, op16, op32, out)
          if n <= fixmax then out[#out + 1] = spack('B', fix | n)
          elseif n < 0x10000 then out[#out + 1] = spack('>BI2', op16, n)
          else out[#out + 1] = spack('>BI4', op32, n) end
        end

        local function pack_table(t, depth, out)
          if depth >= MAX_NESTING then out[#out + 1] = '\xc0'; return end
          local array, count = is_array(t)
          if array then
            pack_header(count, 0x90, 15, 0xdc, 0xdd, out)
            for i = 1, count do pack_value(t[i], depth + 1, out) end
          else
            local n = 0
            for _ in pairs(t) do n = n + 1 end
            pack_header(n, 0x80, 15, 0xde, 0xdf, out)
            for k, v in pairs(t) do
              pack_value(k, depth + 1, out)
              pack_value(v, depth + 1, out)
            end
          end
        end

        pack_value = function(v, depth, out)
          local t = type(v)
          if t == 'string' then
            local n = #v
            if n < 32 then out[#out + 1] = spack('B', 0xa0 | n)
            elseif n < 0x100 then out[#out + 1] = spack('>BB', 0xd9, n)
            elseif n < 0x10000 then out[#out + 1] = spack('>BI2', 0xda, n)
            else out[#out + 1] = spack('>BI4', 0xdb, n) end
            out[#out + 1] = v
          elseif t == 'number' then
            local i = tointeger(v)
            if i then pack_integer(i, out)
            elseif spack('f', v) and sunpack('f', spack('f', v)) == v then out[#out + 1] = spack('>Bf', 0xca, v)
            else out[#out + 1] = spack('>Bd', 0xcb, v) end
          elseif t == 'boolean' then out[#out + 1] = v and '\xc3' or '\xc2'
          elseif t == 'table' then pack_table(v, depth, out)
          else out[#out + 1] = '\xc0' end
        end

        local cmsgpack = { _NAME = 'cmsgpack', _VERSION = 'lua-cmsgpack 0.4.0', _COPYRIGHT = 'Copyright (C) 2012, Salvatore Sanfilippo',
                           _DESCRIPTION = 'MessagePack C implementation for Lua' }
        function cmsgpack.pack(...)
          local n = select('#', ...)
          if n == 0 then raise("bad argument #0 to 'pack' (MessagePack pack needs input.)") end
          local out = {}
          for i = 1, n do pack_value((select(i, ...)), 0, out) end
          return concat(out)
        end

        -- Decoding raises these two texts (lua-cmsgpack's) for truncated and malformed input.
        local MISSING, BAD = 'Missing bytes in input.', 'Bad data format in input.'
        local data
        local unpack_value

        local function need(pos, n) if pos + n - 1 > #data then raise(MISSING) end end
        local function read(fmt, pos, n) need(pos, n); return (sunpack(fmt, data, pos)), pos + n end
        local function read_string(pos, n) need(pos, n); return sub(data, pos, pos + n - 1), pos + n end

        local function read_array(pos, n)
          local t = {}
          for i = 1, n do t[i], pos = unpack_value(pos) end
          return t, pos
        end
        local function read_map(pos, n)
          local t = {}
          for _ = 1, n do
            local k, v
            k, pos = unpack_value(pos)
            v, pos = unpack_value(pos)
            if k ~= nil then t[k] = v end
          end
          return t, pos
        end

        -- The value at 1-based pos and the position after it.
        unpack_value = function(pos)
          need(pos, 1)
          local b = byte(data, pos)
          pos = pos + 1
          if b < 0x80 then return b, pos end
          if b >= 0xe0 then return b - 0x100, pos end
          if b >= 0xa0 and b <= 0xbf then return read_string(pos, b & 0x1f) end
          if b >= 0x90 and b <= 0x9f then return read_array(pos, b & 0x0f) end
          if b >= 0x80 and b <= 0x8f then return read_map(pos, b & 0x0f) end
          if b == 0xc0 then return nil, pos end
          if b == 0xc2 then return false, pos end
          if b == 0xc3 then return true, pos end
          if b == 0xcc then return read('B', pos, 1) end
          if b == 0xcd then return read('>I2', pos, 2) end
          if b == 0xce then return read('>I4', pos, 4) end
          if b == 0xcf then return read('>i8', pos, 8) end
          if b == 0xd0 then return read('b', pos, 1) end
          if b == 0xd1 then return read('>i2', pos, 2) end
          if b == 0xd2 then return read('>i4', pos, 4) end
          if b == 0xd3 then return read('>i8', pos, 8) end
          if b == 0xca then return read('>f', pos, 4) end
          if b == 0xcb then return read('>d', pos, 8) end
          if b == 0xd9 or b == 0xc4 then local n; n, pos = read('B', pos, 1); return read_string(pos, n) end
          if b == 0xda or b == 0xc5 then local n; n, pos = read('>I2', pos, 2); return read_string(pos, n) end
          if b == 0xdb or b == 0xc6 then local n; n, pos = read('>I4', pos, 4); return read_string(pos, n) end
          if b == 0xdc then local n; n, pos = read('>I2', pos, 2); return read_array(pos, n) end
          if b == 0xdd then local n; n, pos = read('>I4', pos, 4); return read_array(pos, n) end
          if b == 0xde then local n; n, pos = read('>I2', pos, 2); return read_map(pos, n) end
          if b == 0xdf then local n; n, pos = read('>I4', pos, 4); return read_map(pos, n) end
          raise(BAD)
        end

        -- An integer argument (luaL_checkinteger, or luaL_optinteger with 0 when optional): a fraction is dropped.
        local function integer_arg(v, i, name, optional, n)
          if optional and v == nil then return 0 end
          local x = (type(v) == 'number' or type(v) == 'string') and tonumber(v)
          if not x then raise("bad argument #" .. i .. " to '" .. name .. "' (number expected, got " .. (i > n and 'no value' or type(v)) .. ")") end
          return tointeger(x < 0 and -(-x // 1) or x // 1) or mininteger
        end

        -- Unpacks up to limit values from 0-based offset, as lua_cmsgpack's mp_unpack_full: with both 0 it unpacks
        -- everything and gives no offset; else it also gives the 0-based offset after the values (-1 at the end).
        -- Returns the values in a table, their count and that offset.
        local function unpack_many(name, n, s, limit, offset)
          if type(s) == 'number' then s = tostring(s) end
          if type(s) ~= 'string' then
            raise("bad argument #1 to '" .. name .. "' (string expected, got " .. (n == 0 and 'no value' or type(s)) .. ")")
          end
          -- The C text gives the input's length where it means the limit.
          if offset < 0 or limit < 0 then raise('Invalid request to unpack with offset of ' .. offset .. ' and limit of ' .. #s .. '.') end
          if offset > #s then raise('Start offset ' .. offset .. ' greater than input length ' .. #s .. '.') end
          local decode_all = limit == 0 and offset == 0
          if decode_all then limit = 2147483647 end
          data = s
          local values, n, pos = {}, 0, offset + 1
          while pos <= #s and n < limit do
            n = n + 1
            values[n], pos = unpack_value(pos)
          end
          data = nil
          if decode_all then return values, n, nil end
          return values, n, pos > #s and -1 or pos - 1
        end

        local table_unpack = table.unpack
        local function results(values, n, next_offset)
          if next_offset == nil then return table_unpack(values, 1, n) end
          return next_offset, table_unpack(values, 1, n)
        end
        function cmsgpack.unpack(...)
          return results(unpack_many('unpack', select('#', ...), (...), 0, 0))
        end
        function cmsgpack.unpack_one(...)
          local n = select('#', ...)
          local s, offset = ...
          offset = integer_arg(offset, 2, 'unpack_one', true, n)
          return results(unpack_many('unpack_one', n, s, 1, offset))
        end
        function cmsgpack.unpack_limit(...)
          local n = select('#', ...)
          local s, limit, offset = ...
          limit = integer_arg(limit, 2, 'unpack_limit', false, n)
          offset = integer_arg(offset, 3, 'unpack_limit', true, n)
          return results(unpack_many('unpack_limit', n, s, limit, offset))
        end
        return cmsgpack
        """;
}
