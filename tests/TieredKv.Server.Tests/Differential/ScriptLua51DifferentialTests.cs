using TieredKv.Server.Tests.Harness;

namespace TieredKv.Server.Tests.Differential;

/// <summary>
/// What scripts meet of Redis's Lua 5.1 (ours runs Lua 5.4): the globals and library functions it has and lacks,
/// loadstring, Redis's math.random, string.format's number handling and 5.1's error wording, against real Redis.
/// </summary>
public sealed class ScriptLua51DifferentialTests(DifferentialFixture fixture) : DifferentialTest(fixture)
{
    private void SameScript(string script) => Same("EVAL", script, "0");

    [SkippableFact]
    public void Lua51Functions_Exist()
    {
        foreach (var name in new[]
                 {
                     "unpack", "loadstring", "load", "gcinfo", "table.getn", "table.setn", "table.maxn", "table.foreach",
                     "table.foreachi", "math.mod", "math.pow", "math.log10", "math.ldexp", "math.frexp", "math.cosh",
                     "math.sinh", "math.tanh", "math.atan2", "string.gfind", "coroutine.running",
                 })
            SameScript($"return type({name})");
    }

    [SkippableFact]
    public void Lua54Additions_AreAbsent()
    {
        foreach (var name in new[]
                 {
                     "string.pack", "string.unpack", "string.packsize", "table.unpack", "table.pack", "table.move",
                     "math.tointeger", "math.type", "math.ult", "math.maxinteger", "math.mininteger", "coroutine.isyieldable",
                     "coroutine.close",
                 })
            SameScript($"return type({name})");
        foreach (var global in new[] { "rawlen", "warn", "utf8", "getfenv", "setfenv", "newproxy", "require", "print", "os", "io", "debug" })
            SameScript($"return type({global})");
    }

    [SkippableFact]
    public void Loadstring_CompilesOverTheReadOnlyGlobals()
    {
        SameScript("return loadstring('return 1 + 1')()");
        SameScript("return loadstring('return KEYS')()");
        SameScript("return loadstring('x = 5')()");
        SameScript("return {loadstring('x = ')}");
        SameScript("return loadstring(5)");
        SameScript("return loadstring()");
    }

    [SkippableFact]
    public void SyntaxErrors_AreWordedAsLua51()
    {
        foreach (var script in new[]
                 {
                     "return 1 +", "return 'abc", "return [[abc", "local 1 = 2", "if x then", "return function() end end",
                     "--[[ open", "return 1 \u0001",
                 })
            SameScript(script);
        SameScript("return select(2, loadstring('x = '))");
        SameScript("return select(2, loadstring('return [[x'))");
        SameScript("local n = 0 return select(2, load(function() n = n + 1 if n == 1 then return 'x = ' end end))");
    }

    [SkippableFact]
    public void UnknownEscapes_AreTheCharacterItself()
    {
        SameScript("return '\\q'");
        SameScript("return string.find('a.b', '\\.')");
        SameScript("return {'\\x41', '\\z   x', '\\u{41}'}");
        SameScript("return 'a\\\nb'");
        SameScript("return '\\65\\066\\0677' .. \"\\r\\t\\n\\a\\b\\f\\v\\\\\"");
        SameScript("return \"it's \\\"quoted\\\" \\q\" .. 'a\\'b\\q'");
        SameScript("return loadstring([[return '\\q' .. '\\x41']])()");
    }

    [SkippableFact]
    public void LongStringsAndComments_KeepTheirBackslashes()
    {
        SameScript("return [[\\q]]");
        SameScript("--[[ '\\q' ]] return '\\q'");
        SameScript("-- '\\x'\nreturn [==[ ]] \\q ]==] .. '\\q'");
    }

    [SkippableFact]
    public void Bytecode_IsParsedAsText()
    {
        RequireRedis();
        // Text that starts as a precompiled chunk does: a syntax error, never run.
        SameScript("\u001bLua garbage");
        SameScript("return select(2, loadstring(string.char(27) .. 'LuaQ' .. string.rep(string.char(0), 20)))");
        SameScript("return select(2, loadstring(string.char(27) .. 'Lua'))");
        Same("FUNCTION", "LOAD", "#!lua name=bytecode\n\u001bLua");
    }

    [SkippableFact]
    public void Load_TakesOnlyAReaderFunction()
    {
        SameScript("return load('return 2')");
        SameScript("local n = 0 return load(function() n = n + 1 if n == 1 then return 'return 7' end end)()");
        SameScript("return load(function() return nil end)()");
    }

    [SkippableFact]
    public void MathRandom_IsRedissGenerator()
    {
        SameScript("math.randomseed(42) return {math.random(100), math.random(5, 10), tostring(math.random())}");
        SameScript("math.randomseed(7) local t = {} for i = 1, 20 do t[i] = math.random(1000000) end return t");
        SameScript("math.randomseed(-3) return {math.random(-5, 5), math.random(2147483647)}");
    }

    [SkippableFact]
    public void MathRandom_BadArguments_Fail()
    {
        SameScript("return math.random(0)");
        SameScript("return math.random(3, 1)");
        SameScript("return math.random(1, 2, 3)");
        SameScript("return math.random('x')");
        SameScript("return math.randomseed()");
        SameScript("return {pcall(math.random, 0)}");
    }

    [SkippableFact]
    public void MathFunctions_HaveLua51Semantics()
    {
        SameScript("return {math.mod(7, 3), math.fmod(-7, 3), math.log10(1000), math.pow(2, 10)}");
        SameScript("return tostring(math.mod(5, 0))");
        SameScript("return tostring(math.log(8, 2))");
        SameScript("return {math.ldexp(0.75, 4), math.frexp(48)}");
        SameScript("return tostring(select(1, math.frexp(-0.1))) .. ' ' .. select(2, math.frexp(-0.1))");
        SameScript("return string.format('%.10f %.10f %.10f %.10f', math.cosh(1), math.sinh(1), math.tanh(0.5), math.atan2(1, 2))");
    }

    [SkippableFact]
    public void TableAndStringFunctions_HaveLua51Semantics()
    {
        SameScript("return {string.gfind('a b c', '%a')()}");
        SameScript("return table.maxn({1, 2, [10] = 3, [2.5] = 4})");
        SameScript("return table.setn({}, 1)");
        SameScript("return table.getn()");
        SameScript("return table.getn({1, 2, 3})");
        SameScript("local r = {} table.foreach({10}, function(k, v) r[#r + 1] = k .. '=' .. v end) return r");
        SameScript("return table.foreachi({10, 20}, function(i, v) if v == 20 then return i end end)");
    }

    [SkippableFact]
    public void StringFormat_TruncatesNumbersForIntegerConversions()
    {
        SameScript("return string.format('%d', 3.7)");
        SameScript("return string.format('%d %s %5.1f %% %x %c', -3.7, 2.0, 1.25, 255.9, 65.2)");
        SameScript("return string.format('%s', 3.0)");
        SameScript("return string.format('%d', 2^63)");
    }

    [SkippableFact]
    public void StringFormat_BadArguments_Fail()
    {
        SameScript("return string.format('%d', 'x')");
        SameScript("return string.format('%d')");
        SameScript("return string.format()");
        SameScript("return string.format('%s %s', 1, {})");
        SameScript("return {pcall(string.format, '%d', 'x')}");
    }

    [SkippableFact]
    public void IntegerArguments_WithAFraction_AreTruncated()
    {
        SameScript("return string.sub('hello', 1.5, 3.9)");
        SameScript("return ('hello'):sub(2.5)");
        SameScript("return string.sub('hello', '2')");
        SameScript("return {string.byte('abc', 1.5, 2.5)}");
        SameScript("return string.rep('ab', 2.7)");
        SameScript("return string.char(65.7, 66)");
        SameScript("return {unpack({1, 2, 3}, 1.5)}");
    }

    [SkippableFact]
    public void WrappedFunctions_KeepTheirErrorTexts()
    {
        SameScript("return string.sub('hello')");
        SameScript("return string.sub('hello', 'x')");
        SameScript("return string.sub()");
        SameScript("return {pcall(string.sub, 'x', {})}");
        SameScript("return string.char(-1)");
        SameScript("return string.char('x')");
        SameScript("return unpack()");
        SameScript("return math.min()");
        SameScript("return math.min('x')");
        SameScript("return table.concat({1, {}, 3})");
        SameScript("return table.concat({1, 2, 3}, '', 2, 10)");
    }

    [SkippableFact]
    public void Tonumber_ReadsInfinityAndNaNAsStrtodDoes()
    {
        SameScript("return {tostring(tonumber('inf')), tostring(tonumber(' -Infinity ')), tostring(tonumber('nan'))}");
        SameScript("return {tostring(tonumber('nan(abc)')), tostring(tonumber('-nan')), tostring(tonumber('infx'))}");
        SameScript("return {tonumber('0x10'), tonumber('z', 36), tostring(tonumber('0x1p4'))}");
        SameScript("return tonumber()");
        SameScript("return tonumber('10', 99)");
    }

    [SkippableFact]
    public void Gsub_PercentBeforeANonDigit_IsThatCharacter()
    {
        SameScript("return (string.gsub('abc', 'b', '%a'))");
        SameScript("return (string.gsub('a%b', '%%', '%%%%'))");
        SameScript("return (string.gsub('abc', 'b', '[%0]'))");
        SameScript("return (string.gsub('abc', '(b)', '%2'))");
        SameScript("return (string.gsub('abc', '(', 'x'))");
    }

    [SkippableFact]
    public void StringFormat_Lua54Conversions_AreInvalidOptions()
    {
        SameScript("return string.format('%a', 1)");
        SameScript("return string.format('%y', 1)");
    }

    [SkippableFact]
    public void CoroutineRunning_IsNilInTheScript()
    {
        SameScript("return type(coroutine.running())");
        SameScript("return coroutine.wrap(function() return type(coroutine.running()) end)()");
    }

    [SkippableFact]
    public void StringRep_HasNoSeparator()
    {
        SameScript("return ('x'):rep(3, ',')");
    }

    [SkippableFact]
    public void TableInsertAndRemove_HaveNoPositionChecks()
    {
        SameScript("local t = {1, 2} table.insert(t, 5, 'x') return t");
        SameScript("local t = {1, 2} table.insert(t, 0, 'x') return t");
        SameScript("local t = {} table.insert(t, 'a') table.insert(t, 1, 'b') table.insert(t, 2.5, 'c') return t");
        SameScript("local t = {1, 2, 3} return {table.remove(t, 7), #t}");
        SameScript("local t = {1, 2, 3} local r = table.remove(t, 1) return {r, t[1], t[2], #t}");
        SameScript("return table.remove({})");
        SameScript("return table.insert({}, 1, 2, 3)");
        SameScript("return table.insert(nil, 1)");
        SameScript("return table.remove({1}, 'x')");
    }

    [SkippableFact]
    public void TableConcat_WritesNumbersAsTostringDoes()
    {
        SameScript("return table.concat({1.5, 2.0, 3}, ',')");
        SameScript("return table.concat({1, 2.5, 'x'}, '-', 1.5)");
    }

    [SkippableFact]
    public void Tostring_WritesNumbersWithFourteenDigits()
    {
        SameScript("return {tostring(123456789012345), tostring(12345678901234), tostring(-123456789012345), tostring(2.0)}");
        SameScript("return string.format('%s|%s', 12345678901234567, 0.1)");
        SameScript("return string.format('%q', 1/3)");
        SameScript("return _VERSION");
    }

    [SkippableFact]
    public void Assert_WantsAStringMessage()
    {
        SameScript("return assert(false)");
        SameScript("return assert()");
        SameScript("return assert(false, 'msg')");
        SameScript("return assert(false, 12)");
        SameScript("return assert(nil, {err = 'E'})");
        SameScript("return {assert(1, 2, 3)}");
        SameScript("return {pcall(assert, false, 'm')}");
    }

    [SkippableFact]
    public void RuntimeErrors_AreWordedAsLua51()
    {
        SameScript("local t = nil return t.x");
        SameScript("local t = {} return t.x.y");
        SameScript("local t = {} t.f()");
        SameScript("local t = {} t:m()");
        SameScript("local x return x + 1");
        SameScript("local x return 'a' .. x");
        SameScript("return 1 < 'x'");
        SameScript("return {} < {}");
        SameScript("local t = {} return #t.x");
        SameScript("local up = nil local function f() return up.x end return f()");
        SameScript("return {pcall(function() local t t.x = 1 end)}");
        SameScript("return {xpcall(function() local t t.x = 1 end, function(e) return e end)}");
        SameScript("return ('x') + 1");
    }

    [SkippableFact]
    public void LibraryTables_AreReadOnly()
    {
        SameScript("string.x = 1 return 1");
        SameScript("return {pcall(function() math.pi = 3 end)}");
        SameScript("return ('abc'):upper()");
        SameScript("local n = 0 for _ in pairs(bit) do n = n + 1 end return n");
        SameScript("return getmetatable('').__index == string");
        SameScript("return tostring(getmetatable(string))");
    }

    [SkippableFact]
    public void Globals_AndLibraryTables_ListTheSameNames()
    {
        SameScript("local r = {} for k, v in pairs(_G) do r[#r + 1] = k .. ':' .. type(v) end table.sort(r) return r");
        foreach (var library in new[] { "redis", "string", "math", "table", "coroutine", "cjson", "cmsgpack", "bit", "struct" })
            SameScript($"local r = {{}} for k, v in pairs({library}) do r[#r + 1] = k .. ':' .. type(v) end table.sort(r) return r");
    }

    [SkippableFact]
    public void RawFunctions_CannotChangeReadOnlyTables()
    {
        SameScript("rawset(string, 'x', 1) return 1");
        SameScript("rawset(_G, 'x', 1) return 1");
        SameScript("setmetatable(string, {}) return 1");
        SameScript("getmetatable('').x = 1 return 1");
        SameScript("return {pcall(rawset, string, 'x', 1)}");
        SameScript("return rawset(1, 2, 3)");
    }

    [SkippableFact]
    public void RawFunctions_ReadThroughReadOnlyTables()
    {
        SameScript("return type(rawget(string, 'sub'))");
        SameScript("return type(rawget(_G, 'redis'))");
        SameScript("return next(string) ~= nil");
        SameScript("local t = {} rawset(t, 'a', 1) return {rawget(t, 'a'), next(t)}");
    }

    [SkippableFact]
    public void FunctionErrors_NameUserFunctionAndLoadedChunks()
    {
        RequireRedis();
        Setup("FUNCTION", "LOAD", "REPLACE",
            "#!lua name=errlib\n" +
            "redis.register_function('index_nil', function(keys, args) local t = nil return t.x end)\n" +
            "redis.register_function('tail_call', function(keys, args) return redis.call('nocmd') end)\n" +
            "redis.register_function('loaded', function(keys, args) return loadstring('x = 5')() end)\n" +
            "redis.register_function('cjson_tail', function(keys, args) return cjson.encode(function() end) end)");
        Same("FCALL", "index_nil", "0");
        Same("FCALL", "tail_call", "0");
        Same("FCALL", "loaded", "0");
        Same("FCALL", "cjson_tail", "0");
        Setup("FUNCTION", "DELETE", "errlib");
    }
}
