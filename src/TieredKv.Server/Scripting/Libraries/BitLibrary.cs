namespace TieredKv.Server.Scripting.Libraries;

/// <summary>
/// LuaBitOp's <c>bit</c> library as Redis ships it: 32-bit operations on Lua numbers, results as signed 32-bit
/// integers. Arguments are normalized as LuaBitOp does (numbers rounded half to even, then taken modulo 2^32).
/// </summary>
internal static class BitLibrary
{
    public const string Source = """
        local where = ...
        local type, tonumber, select, error = type, tonumber, select, error
        local floor, tointeger, format = math.floor, math.tointeger, string.format

        local function number_arg(v, i, name)
          local n = type(v) == 'number' and v or (type(v) == 'string' and tonumber(v))
          if not n then
            local got = v == nil and 'no value' or type(v)
            error(where() .. "bad argument #" .. i .. " to '" .. name .. "' (number expected, got " .. got .. ")", 0)
          end
          return n
        end

        -- An unsigned 32-bit integer from any number: rounded half to even, then modulo 2^32.
        local function u32(v, i, name)
          local n = number_arg(v, i, name)
          if tointeger(n) then return tointeger(n) & 0xffffffff end
          if n ~= n or n == math.huge or n == -math.huge then return 0 end
          local r = floor(n + 0.5)
          if r - n == 0.5 and r % 2 ~= 0 then r = r - 1 end
          return tointeger(r % 4294967296) or 0
        end

        local function signed(u)
          u = u & 0xffffffff
          if u >= 0x80000000 then return u - 0x100000000 end
          return u
        end

        local bit = {}
        function bit.tobit(x) return signed(u32(x, 1, 'tobit')) end
        function bit.bnot(x) return signed(~u32(x, 1, 'bnot')) end
        function bit.bswap(x)
          local u = u32(x, 1, 'bswap')
          return signed(((u & 0xff) << 24) | ((u & 0xff00) << 8) | ((u >> 8) & 0xff00) | (u >> 24))
        end
        function bit.tohex(x, n)
          local u = u32(x, 1, 'tohex')
          local digits = n == nil and 8 or signed(u32(n, 2, 'tohex'))
          local hex = '%08x'
          if digits < 0 then digits, hex = -digits, '%08X' end
          if digits > 8 then digits = 8 end
          local s = format(hex, u)
          return s:sub(9 - digits)
        end

        local function fold(name, op)
          return function(...)
            local acc = u32((...), 1, name)
            for i = 2, select('#', ...) do acc = op(acc, u32((select(i, ...)), i, name)) end
            return signed(acc)
          end
        end
        bit.band = fold('band', function(a, b) return a & b end)
        bit.bor = fold('bor', function(a, b) return a | b end)
        bit.bxor = fold('bxor', function(a, b) return a ~ b end)

        local function shift(name, op)
          return function(x, n)
            local u = u32(x, 1, name)
            return signed(op(u, u32(n, 2, name) & 31))
          end
        end
        bit.lshift = shift('lshift', function(u, n) return u << n end)
        bit.rshift = shift('rshift', function(u, n) return u >> n end)
        bit.arshift = shift('arshift', function(u, n) return (u >> n) | (u >= 0x80000000 and (0xffffffff << (32 - n)) or 0) end)
        bit.rol = shift('rol', function(u, n) return (u << n) | (u >> (32 - n)) end)
        bit.ror = shift('ror', function(u, n) return (u >> n) | (u << (32 - n)) end)
        return bit
        """;
}
