namespace TieredKv.Server.Scripting.Libraries;

/// <summary>
/// Redis's <c>cjson</c> (Lua CJSON 2.1): encode and decode with its defaults — numbers as <c>%.14g</c>, <c>/</c>
/// escaped, an empty table as <c>{}</c>, tables whose keys are all positive integers as arrays unless excessively
/// sparse, JSON null as the light userdata <c>cjson.null</c>, and its error texts (positions are 1-based characters).
/// </summary>
internal static class CJsonLibrary
{
    public const string Source = """
        local where, null = ...
        local type, error, pairs, select, tostring, tonumber = type, error, pairs, select, tostring, tonumber
        local format, byte, char, sub, find, match = string.format, string.byte, string.char, string.sub, string.find, string.match
        local concat, tointeger, floor, huge = table.concat, math.tointeger, math.floor, math.huge
        local MAX_DEPTH = 1000

        local function raise(msg) error(where() .. msg, 0) end

        local function format_number(n)
          if n ~= n or n == huge or n == -huge then raise('Cannot serialise number: must not be NaN or Inf') end
          return format('%.14g', n)
        end

        local escapes = { ['"'] = '\\"', ['\\'] = '\\\\', ['/'] = '\\/', ['\b'] = '\\b', ['\f'] = '\\f',
                          ['\n'] = '\\n', ['\r'] = '\\r', ['\t'] = '\\t' }
        local function escape_char(c) return escapes[c] or format('\\u%04x', byte(c)) end
        local function encode_string(s) return '"' .. s:gsub('[%c"\\/]', escape_char) .. '"' end

        -- The array length when every key is a positive integer and the array is not too sparse, else nil;
        -- -1 when an integer-keyed table is excessively sparse (an error).
        local function array_length(t)
          local max, items = 0, 0
          for k in pairs(t) do
            local i = type(k) == 'number' and tointeger(k)
            if not i or i < 1 then return nil end
            if i > max then max = i end
            items = items + 1
          end
          if max > 10 and max > items * 2 then return -1 end
          return max
        end

        local encode_value
        local function encode_table(t, depth, out)
          depth = depth + 1
          if depth > MAX_DEPTH then raise('Cannot serialise, excessive nesting (' .. depth .. ')') end
          local n = array_length(t)
          if n == -1 then raise('Cannot serialise table: excessively sparse array') end
          if n and n > 0 then
            out[#out + 1] = '['
            for i = 1, n do
              if i > 1 then out[#out + 1] = ',' end
              encode_value(t[i], depth, out)
            end
            out[#out + 1] = ']'
            return
          end
          out[#out + 1] = '{'
          local first = true
          for k, v in pairs(t) do
            if not first then out[#out + 1] = ',' end
            first = false
            local kt = type(k)
            if kt == 'string' then out[#out + 1] = encode_string(k)
            elseif kt == 'number' then out[#out + 1] = '"' .. format_number(k) .. '"'
            else raise('Cannot serialise ' .. kt .. ': table key must be a number or string') end
            out[#out + 1] = ':'
            encode_value(v, depth, out)
          end
          out[#out + 1] = '}'
        end

        encode_value = function(v, depth, out)
          local t = type(v)
          if t == 'string' then out[#out + 1] = encode_string(v)
          elseif t == 'number' then out[#out + 1] = format_number(v)
          elseif t == 'boolean' then out[#out + 1] = v and 'true' or 'false'
          elseif t == 'nil' or v == null then out[#out + 1] = 'null'
          elseif t == 'table' then encode_table(v, depth, out)
          else raise('Cannot serialise ' .. t .. ': type not supported') end
        end

        local cjson = { null = null, _NAME = 'cjson', _VERSION = '2.1.0' }
        function cjson.encode(...)
          if select('#', ...) ~= 1 then raise("bad argument #1 to 'encode' (expected 1 argument)") end
          local out = {}
          encode_value((...), 0, out)
          return concat(out)
        end

        -- Decoding: a tokenizer over the text, each token a kind (Lua CJSON's names) and its 1-based position.
        local text, pos
        local function parse_error(expected, kind, value, at)
          local found = kind == 'T_ERROR' and value or kind
          raise('Expected ' .. expected .. ' but found ' .. found .. ' at character ' .. at)
        end

        local function utf8_char(cp)
          if cp < 0x80 then return char(cp) end
          if cp < 0x800 then return char(0xc0 | (cp >> 6), 0x80 | (cp & 0x3f)) end
          if cp < 0x10000 then return char(0xe0 | (cp >> 12), 0x80 | ((cp >> 6) & 0x3f), 0x80 | (cp & 0x3f)) end
          return char(0xf0 | (cp >> 18), 0x80 | ((cp >> 12) & 0x3f), 0x80 | ((cp >> 6) & 0x3f), 0x80 | (cp & 0x3f))
        end

        local simple_escapes = { ['"'] = '"', ['\\'] = '\\', ['/'] = '/', b = '\b', f = '\f', n = '\n', r = '\r', t = '\t' }

        -- Returns the string token's value, or nil, an error text and its position; pos ends past the closing quote.
        local function read_string()
          local parts, i = {}, pos + 1
          while true do
            local j = find(text, '["\\]', i)
            if not j then return nil, 'unexpected end of string', #text + 1 end
            parts[#parts + 1] = sub(text, i, j - 1)
            if sub(text, j, j) == '"' then pos = j + 1; return concat(parts) end
            local e = sub(text, j + 1, j + 1)
            if e == 'u' then
              local hex = match(text, '^%x%x%x%x', j + 2)
              if not hex then return nil, 'invalid unicode escape code', j end
              local cp, next_i = tonumber(hex, 16), j + 6
              if cp >= 0xd800 and cp <= 0xdbff then
                local low = match(text, '^\\u(%x%x%x%x)', next_i)
                local lo = low and tonumber(low, 16)
                if not lo or lo < 0xdc00 or lo > 0xdfff then return nil, 'invalid unicode escape code', j end
                cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00)
                next_i = next_i + 6
              elseif cp >= 0xdc00 and cp <= 0xdfff then
                return nil, 'invalid unicode escape code', j
              end
              parts[#parts + 1] = utf8_char(cp)
              i = next_i
            elseif simple_escapes[e] then
              parts[#parts + 1] = simple_escapes[e]
              i = j + 2
            else
              return nil, 'invalid escape code', j
            end
          end
        end

        local single = { ['{'] = 'T_OBJ_BEGIN', ['}'] = 'T_OBJ_END', ['['] = 'T_ARR_BEGIN', [']'] = 'T_ARR_END',
                         [':'] = 'T_COLON', [','] = 'T_COMMA' }
        local literals = { ['true'] = { 'T_BOOLEAN', true }, ['false'] = { 'T_BOOLEAN', false }, null = { 'T_NULL', null } }

        -- The next token: kind, value, position.
        local function next_token()
          pos = find(text, '[^ \t\r\n]', pos) or #text + 1
          local at = pos
          if at > #text then return 'T_END', nil, at end
          local c = sub(text, at, at)
          if single[c] then pos = at + 1; return single[c], nil, at end
          if c == '"' then
            local s, err, err_at = read_string()
            if not s then return 'T_ERROR', err, err_at end
            return 'T_STRING', s, at
          end
          if c == '-' or find(c, '%d') then
            local num = match(text, '^%-?%d+%.?%d*[eE][%+%-]?%d+', at) or match(text, '^%-?%d+%.?%d*', at)
            local n = num and tonumber(num)
            if not n then return 'T_ERROR', 'invalid number', at end
            pos = at + #num
            return 'T_NUMBER', tointeger(n) or (n == floor(n) and n >= -2^63 and n < 2^63 and tointeger(floor(n))) or n, at
          end
          for word, token in pairs(literals) do
            if sub(text, at, at + #word - 1) == word then pos = at + #word; return token[1], token[2], at end
          end
          return 'T_ERROR', 'invalid token', at
        end

        local parse_value
        local function parse_object(depth, at)
          if depth > MAX_DEPTH then raise('Found too many nested data structures (' .. depth .. ') at character ' .. at) end
          local result = {}
          local kind, value, kat = next_token()
          if kind == 'T_OBJ_END' then return result end
          while true do
            if kind ~= 'T_STRING' then parse_error('object key string', kind, value, kat) end
            local key = value
            kind, value, kat = next_token()
            if kind ~= 'T_COLON' then parse_error('colon', kind, value, kat) end
            result[key] = parse_value(depth, next_token())
            kind, value, kat = next_token()
            if kind == 'T_OBJ_END' then return result end
            if kind ~= 'T_COMMA' then parse_error('comma or object end', kind, value, kat) end
            kind, value, kat = next_token()
          end
        end

        local function parse_array(depth, at)
          if depth > MAX_DEPTH then raise('Found too many nested data structures (' .. depth .. ') at character ' .. at) end
          local result, n = {}, 0
          local kind, value, kat = next_token()
          if kind == 'T_ARR_END' then return result end
          while true do
            n = n + 1
            result[n] = parse_value(depth, kind, value, kat)
            kind, value, kat = next_token()
            if kind == 'T_ARR_END' then return result end
            if kind ~= 'T_COMMA' then parse_error('comma or array end', kind, value, kat) end
            kind, value, kat = next_token()
          end
        end

        parse_value = function(depth, kind, value, at)
          if kind == 'T_STRING' or kind == 'T_NUMBER' or kind == 'T_BOOLEAN' or kind == 'T_NULL' then return value end
          if kind == 'T_OBJ_BEGIN' then return parse_object(depth + 1, at) end
          if kind == 'T_ARR_BEGIN' then return parse_array(depth + 1, at) end
          parse_error('value', kind, value, at)
        end

        function cjson.decode(...)
          if select('#', ...) ~= 1 then raise("bad argument #1 to 'decode' (expected 1 argument)") end
          local s = ...
          if type(s) == 'number' then s = tostring(s) end
          if type(s) ~= 'string' then
            raise("bad argument #1 to 'decode' (string expected, got " .. (s == nil and 'nil' or type(s)) .. ")")
          end
          text, pos = s, 1
          local result = parse_value(0, next_token())
          local kind, value, at = next_token()
          text = nil
          if kind ~= 'T_END' then parse_error('the end', kind, value, at) end
          return result
        end
        return cjson
        """;
}
