namespace TieredKv.Server.Scripting.Libraries;

/// <summary>
/// Redis's <c>cjson</c> (Lua CJSON 2.1): encode and decode with its defaults — numbers as <c>%.14g</c>, <c>/</c>
/// escaped, an empty table as <c>{}</c>, tables whose keys are all positive integers as arrays unless excessively
/// sparse, JSON null as the light userdata <c>cjson.null</c>, numbers as glibc's strtod reads them (hexadecimal,
/// Infinity and NaN too, unless <c>decode_invalid_numbers</c> is off), and its error texts (positions are 1-based
/// characters). Its settings (<c>encode_sparse_array</c>, <c>encode_max_depth</c>, <c>decode_max_depth</c>,
/// <c>encode_number_precision</c>, <c>encode_keep_buffer</c>, <c>encode_invalid_numbers</c>,
/// <c>decode_invalid_numbers</c>) belong to the module, and so last until the server restarts, as in Redis;
/// <c>cjson.new()</c> makes a module with settings of its own.
/// </summary>
internal static class CJsonLibrary
{
    public const string Source = """
        local where, null = ...
        local type, error, pairs, ipairs, select, tostring, tonumber = type, error, pairs, ipairs, select, tostring, tonumber
        local format, byte, char, sub, find, match, lower = string.format, string.byte, string.char, string.sub, string.find, string.match, string.lower
        local concat, tointeger, floor, ceil, huge, mininteger = table.concat, math.tointeger, math.floor, math.ceil, math.huge, math.mininteger
        local INT_MAX = 2147483647
        -- The sign of 0/0 is the machine's; strtod's "nan" is the positive one.
        local NAN = 0 / 0
        if format('%f', NAN):sub(1, 1) == '-' then NAN = -NAN end

        local function raise(msg) error(where() .. msg, 0) end

        -- luaL_argerror: a function called by pcall has no name in Lua 5.1, and then no script position either.
        local function arg_error(i, fname, msg)
          local at = where()
          error(at .. 'bad argument #' .. i .. " to '" .. (at == '' and '?' or fname) .. "' (" .. msg .. ')', 0)
        end

        local escapes = { ['"'] = '\\"', ['\\'] = '\\\\', ['/'] = '\\/', ['\b'] = '\\b', ['\f'] = '\\f',
                          ['\n'] = '\\n', ['\r'] = '\\r', ['\t'] = '\\t' }
        local function escape_char(c) return escapes[c] or format('\\u%04x', byte(c)) end
        local function encode_string(s) return '"' .. s:gsub('[%c"\\/]', escape_char) .. '"' end

        local function utf8_char(cp)
          if cp < 0x80 then return char(cp) end
          if cp < 0x800 then return char(0xc0 | (cp >> 6), 0x80 | (cp & 0x3f)) end
          if cp < 0x10000 then return char(0xe0 | (cp >> 12), 0x80 | ((cp >> 6) & 0x3f), 0x80 | (cp & 0x3f)) end
          return char(0xf0 | (cp >> 18), 0x80 | ((cp >> 12) & 0x3f), 0x80 | ((cp >> 6) & 0x3f), 0x80 | (cp & 0x3f))
        end

        local simple_escapes = { ['"'] = '"', ['\\'] = '\\', ['/'] = '/', b = '\b', f = '\f', n = '\n', r = '\r', t = '\t' }
        local single = { ['{'] = 'T_OBJ_BEGIN', ['}'] = 'T_OBJ_END', ['['] = 'T_ARR_BEGIN', [']'] = 'T_ARR_END',
                         [':'] = 'T_COLON', [','] = 'T_COMMA' }

        -- A number as Lua 5.1 holds it (a double), shown as an integer when it is a whole one (negative zero stays).
        local function decoded_number(n)
          if n == 0 then return n end
          return tointeger(n) or (n == floor(n) and n >= -2^63 and n < 2^63 and tointeger(floor(n))) or n
        end

        -- glibc strtod on text at i: the number and the position after the longest prefix it reads, or nil.
        local function strtod(text, i)
          local j, negative = i, false
          local c = sub(text, j, j)
          if c == '+' or c == '-' then negative, j = c == '-', j + 1 end
          local word = lower(sub(text, j, j + 2))
          if word == 'inf' then
            local e = lower(sub(text, j, j + 7)) == 'infinity' and j + 8 or j + 3
            return negative and -huge or huge, e
          end
          if word == 'nan' then
            local paren = match(text, '^%([%w_]*%)', j + 3)
            return negative and -NAN or NAN, j + 3 + (paren and #paren or 0)
          end
          if match(text, '^0[xX]', j) then
            local digits = match(text, '^%x*%.?%x*', j + 2)
            if not find(digits, '%x') then return negative and -0.0 or 0, j + 1 end
            local e = j + 2 + #digits
            local exponent = match(text, '^[pP][%+%-]?%d+', e)
            if exponent then e = e + #exponent end
            -- With an exponent Lua reads it as strtod does (a float), never as a wrapping integer.
            return tonumber(sub(text, i, e - 1) .. (exponent and '' or 'p0')), e
          end
          local digits = match(text, '^%d*%.?%d*', j)
          if not find(digits, '%d') then return nil end
          local e = j + #digits
          local exponent = match(text, '^[eE][%+%-]?%d+', e)
          if exponent then e = e + #exponent end
          -- Without an exponent Lua would read an integer, and lose the sign of -0.
          return tonumber(sub(text, i, e - 1) .. (exponent and '' or 'e0')), e
        end

        -- Lua CJSON's test for what strict JSON forbids: a leading '+', hexadecimal, leading zeros, inf and nan.
        local function is_invalid_number(text, i)
          local c = sub(text, i, i)
          if c == '+' then return true end
          if c == '-' then i = i + 1; c = sub(text, i, i) end
          if c == '0' then
            local c2 = sub(text, i + 1, i + 1)
            return c2 == 'x' or c2 == 'X' or find(c2, '^%d') ~= nil
          end
          if c ~= '' and c <= '9' then return false end
          local word = lower(sub(text, i, i + 2))
          return word == 'inf' or word == 'nan'
        end

        local function new()
          -- On/off settings are 0 or 1, as the C fields.
          local cfg = { sparse_convert = 0, sparse_ratio = 2, sparse_safe = 10, encode_max_depth = 1000,
                        decode_max_depth = 1000, encode_invalid_numbers = 0, decode_invalid_numbers = 1,
                        keep_buffer = 1, precision = 14 }

          local function format_number(n)
            if n ~= n or n == huge or n == -huge then
              if cfg.encode_invalid_numbers == 0 then raise('Cannot serialise number: must not be NaN or Inf') end
              if cfg.encode_invalid_numbers == 2 then return 'null' end
              if n ~= n then return 'nan' end
            end
            return format('%.' .. cfg.precision .. 'g', n)
          end

          -- The array length when every key is a positive integer and the array is not too sparse, else nil
          -- (an excessively sparse one is an error unless sparse arrays are converted to objects).
          local function array_length(t)
            local max, items = 0, 0
            for k in pairs(t) do
              if not (type(k) == 'number' and k ~= 0 and k == floor(k) and k >= 1) then return nil end
              -- max is a C int: a key past its range (or inf) makes it INT_MIN, as x86 converts.
              if k > max then max = k < 2147483648 and floor(k) or -2147483648 end
              items = items + 1
            end
            if cfg.sparse_ratio > 0 and max > items * cfg.sparse_ratio and max > cfg.sparse_safe then
              if cfg.sparse_convert == 0 then raise('Cannot serialise table: excessively sparse array') end
              return nil
            end
            return max
          end

          local encode_value
          local function encode_table(t, depth, out)
            depth = depth + 1
            if depth > cfg.encode_max_depth then raise('Cannot serialise, excessive nesting (' .. depth .. ')') end
            local n = array_length(t)
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

          local cjson = { null = null, _NAME = 'cjson', _VERSION = '2.1.0', new = new }
          function cjson.encode(...)
            if select('#', ...) ~= 1 then arg_error(1, 'encode', 'expected 1 argument') end
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

          -- Returns the string token's value, or nil, an error text and its position; pos ends past the closing quote.
          -- A zero byte ends the text for the C parser: inside a string it is the premature end.
          local function read_string()
            local parts, i = {}, pos + 1
            while true do
              local j = find(text, '["\\\0]', i)
              if not j then return nil, 'unexpected end of string', #text + 1 end
              parts[#parts + 1] = sub(text, i, j - 1)
              local c = sub(text, j, j)
              if c == '\0' then return nil, 'unexpected end of string', j end
              if c == '"' then pos = j + 1; return concat(parts) end
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

          local function number_token(at)
            local n, e = strtod(text, at)
            if not n then return 'T_ERROR', 'invalid number', at end
            pos = e
            return 'T_NUMBER', decoded_number(n), at
          end

          -- The next token: kind, value, position.
          local function next_token()
            pos = find(text, '[^ \t\r\n]', pos) or #text + 1
            local at = pos
            local c = sub(text, at, at)
            if c == '' or c == '\0' then return 'T_END', nil, at end
            if single[c] then pos = at + 1; return single[c], nil, at end
            if c == '"' then
              local s, err, err_at = read_string()
              if not s then return 'T_ERROR', err, err_at end
              return 'T_STRING', s, at
            end
            if c == '-' or find(c, '^%d') then
              if cfg.decode_invalid_numbers == 0 and is_invalid_number(text, at) then return 'T_ERROR', 'invalid number', at end
              return number_token(at)
            end
            if sub(text, at, at + 3) == 'true' then pos = at + 4; return 'T_BOOLEAN', true, at end
            if sub(text, at, at + 4) == 'false' then pos = at + 5; return 'T_BOOLEAN', false, at end
            if sub(text, at, at + 3) == 'null' then pos = at + 4; return 'T_NULL', null, at end
            if (c == '+' or c == 'i' or c == 'I' or c == 'n' or c == 'N') and cfg.decode_invalid_numbers ~= 0
               and is_invalid_number(text, at) then
              return number_token(at)
            end
            return 'T_ERROR', 'invalid token', at
          end

          local parse_value
          local function descend(depth, at)
            if depth > cfg.decode_max_depth then
              raise('Found too many nested data structures (' .. depth .. ') at character ' .. at)
            end
          end

          local function parse_object(depth, at)
            descend(depth, at)
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
            descend(depth, at)
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
            local n = select('#', ...)
            if n ~= 1 then arg_error(1, 'decode', 'expected 1 argument') end
            local s = ...
            if type(s) == 'number' then s = tostring(s) end
            if type(s) ~= 'string' then arg_error(1, 'decode', 'string expected, got ' .. type(s)) end
            if #s >= 2 and (byte(s, 1) == 0 or byte(s, 2) == 0) then raise('JSON parser does not support UTF-16 or UTF-32') end
            text, pos = s, 1
            local result = parse_value(0, next_token())
            local kind, value, at = next_token()
            text = nil
            if kind ~= 'T_END' then parse_error('the end', kind, value, at) end
            return result
          end

          -- The settings. Each takes its arguments (nil leaves a setting as it is) and answers the settings.
          local function check_count(fname, n, most)
            if n > most then arg_error(most + 1, fname, 'found too many arguments') end
          end
          local function integer_option(fname, i, v, key, min, max)
            if v ~= nil then
              local x = (type(v) == 'number' or type(v) == 'string') and tonumber(v)
              if not x then arg_error(i, fname, 'number expected, got ' .. type(v)) end
              -- luaL_checkinteger, then C's int.
              x = tointeger(x < 0 and ceil(x) or floor(x)) or mininteger
              x = ((x + 0x80000000) & 0xffffffff) - 0x80000000
              if x < min or x > max then arg_error(1, fname, 'expected integer between ' .. min .. ' and ' .. max) end
              cfg[key] = x
            end
            return cfg[key]
          end
          -- An enumerated setting: true/false, or one of the option names (its index from 0); answered as a
          -- boolean when it is 0 or 1, else as its name.
          local function enum_option(fname, i, v, key, options)
            if v ~= nil then
              if type(v) == 'boolean' then cfg[key] = v and 1 or 0
              else
                if type(v) ~= 'string' and type(v) ~= 'number' then arg_error(i, fname, 'string expected, got ' .. type(v)) end
                local name, found = tostring(v), nil
                for index, option in ipairs(options) do if option == name then found = index - 1 end end
                if not found then arg_error(i, fname, "invalid option '" .. name .. "'") end
                cfg[key] = found
              end
            end
            local value = cfg[key]
            if value == 0 or value == 1 then return value == 1 end
            return options[value + 1]
          end
          local ON_OFF = { 'off', 'on' }

          function cjson.encode_sparse_array(...)
            local n = select('#', ...)
            check_count('encode_sparse_array', n, 3)
            local convert, ratio, safe = ...
            local c = enum_option('encode_sparse_array', 1, convert, 'sparse_convert', ON_OFF)
            local r = integer_option('encode_sparse_array', 2, ratio, 'sparse_ratio', 0, INT_MAX)
            local s = integer_option('encode_sparse_array', 3, safe, 'sparse_safe', 0, INT_MAX)
            return c, r, s
          end
          function cjson.encode_max_depth(...)
            check_count('encode_max_depth', select('#', ...), 1)
            return integer_option('encode_max_depth', 1, (...), 'encode_max_depth', 1, INT_MAX)
          end
          function cjson.decode_max_depth(...)
            check_count('decode_max_depth', select('#', ...), 1)
            return integer_option('decode_max_depth', 1, (...), 'decode_max_depth', 1, INT_MAX)
          end
          function cjson.encode_number_precision(...)
            check_count('encode_number_precision', select('#', ...), 1)
            return integer_option('encode_number_precision', 1, (...), 'precision', 1, 14)
          end
          -- Whether Lua CJSON keeps its encoding buffer between calls: a memory setting with nothing to show here.
          function cjson.encode_keep_buffer(...)
            check_count('encode_keep_buffer', select('#', ...), 1)
            return enum_option('encode_keep_buffer', 1, (...), 'keep_buffer', ON_OFF)
          end
          function cjson.encode_invalid_numbers(...)
            check_count('encode_invalid_numbers', select('#', ...), 1)
            return enum_option('encode_invalid_numbers', 1, (...), 'encode_invalid_numbers', { 'off', 'on', 'null' })
          end
          function cjson.decode_invalid_numbers(...)
            check_count('decode_invalid_numbers', select('#', ...), 1)
            return enum_option('decode_invalid_numbers', 1, (...), 'decode_invalid_numbers', ON_OFF)
          end
          return cjson
        end
        return new()
        """;
}
