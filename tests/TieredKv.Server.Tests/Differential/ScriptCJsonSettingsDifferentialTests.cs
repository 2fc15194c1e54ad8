using TieredKv.Server.Tests.Harness;

namespace TieredKv.Server.Tests.Differential;

/// <summary>
/// cjson's settings and number edge cases (lua_cjson.c, fpconv.c) against real Redis. The settings last in the Lua
/// state, as Redis's (the scripts' until SCRIPT FLUSH, the functions' for good): each test that changes one restores it.
/// </summary>
public sealed class ScriptCJsonSettingsDifferentialTests(DifferentialFixture fixture) : DifferentialTest(fixture)
{
    private void SameScript(string script) => Same("EVAL", script, "0");

    [SkippableFact]
    public void Decode_HexadecimalNumbers_AsStrtodReadsThem()
    {
        SameScript("return cjson.decode('0x1F')");
        SameScript("return cjson.encode(cjson.decode('[0x10, -0x10, 0X1p4, 0x1.8p1]'))");
        SameScript("return cjson.decode('[0x]')");
    }

    [SkippableFact]
    public void Decode_InfinityAndNaN_AsStrtodReadsThem()
    {
        SameScript("return tostring(cjson.decode('Infinity'))");
        SameScript("return tostring(cjson.decode('-Infinity'))");
        SameScript("return tostring(cjson.decode('inf'))");
        SameScript("return tostring(cjson.decode('NaN'))");
        SameScript("return tostring(cjson.decode('-nan'))");
        SameScript("return tostring(cjson.decode('nan(123)'))");
        SameScript("return tostring(cjson.decode('1e400'))");
    }

    [SkippableFact]
    public void Decode_LenientNumberForms()
    {
        SameScript("return cjson.decode('+5')");
        SameScript("return cjson.decode('0123')");
        SameScript("return tostring(cjson.decode('-.5'))");
        SameScript("return tostring(cjson.decode('1.'))");
        SameScript("return tostring(cjson.decode('-0'))");
        SameScript("return tostring(cjson.decode('12345678901234567890'))");
    }

    [SkippableFact]
    public void Decode_BadTokens_Fail()
    {
        SameScript("return cjson.decode('1e')");
        SameScript("return cjson.decode('nul')");
        SameScript("return cjson.decode('infx')");
        SameScript("return cjson.decode('Nope')");
        SameScript("return cjson.decode('[1, 2, +]')");
    }

    [SkippableFact]
    public void Decode_ZeroByte_EndsTheText()
    {
        SameScript("return cjson.decode('[1]\\0junk')");
        SameScript("return cjson.decode('\"a\\0b\"')");
        SameScript("return cjson.decode('\\0a')");
        SameScript("return cjson.decode('\"\\\\u0000\"')");
    }

    [SkippableFact]
    public void DecodeInvalidNumbers_Off_RejectsWhatStrictJsonForbids()
    {
        SameScript("return cjson.decode_invalid_numbers()");
        foreach (var json in new[] { "0x10", "[1, NaN]", "[1, 012]", "[-inf]", "[+1]", "[1.5, -2]" })
            SameScript($"cjson.decode_invalid_numbers(false) local ok, e = pcall(cjson.decode, '{json}') " +
                       "cjson.decode_invalid_numbers(true) return {tostring(ok), type(e) == 'table' and #e or e}");
        SameScript("local r = cjson.decode_invalid_numbers('off') cjson.decode_invalid_numbers('on') return tostring(r)");
    }

    [SkippableFact]
    public void EncodeInvalidNumbers_OnWritesThemAndNullWritesNull()
    {
        SameScript("return {cjson.encode_invalid_numbers()}");
        SameScript("cjson.encode_invalid_numbers(true) local r = cjson.encode({1/0, -1/0, 0/0, -(0/0)}) cjson.encode_invalid_numbers(false) return r");
        SameScript("cjson.encode_invalid_numbers('null') local r = cjson.encode({1/0, -1/0, 0/0}) local v = cjson.encode_invalid_numbers() " +
                   "cjson.encode_invalid_numbers('off') return {r, v}");
        SameScript("cjson.encode_invalid_numbers('null') local r = cjson.encode({[1/0] = 1}) cjson.encode_invalid_numbers(false) return r");
    }

    [SkippableFact]
    public void Settings_WrongArguments_Fail()
    {
        SameScript("return cjson.encode_invalid_numbers({})");
        SameScript("return cjson.decode_invalid_numbers('maybe')");
        SameScript("return cjson.decode_invalid_numbers(1, 2)");
        SameScript("return cjson.encode_max_depth(0)");
        SameScript("return cjson.encode_max_depth('x')");
        SameScript("return cjson.encode_max_depth(2147483648)");
        SameScript("return cjson.encode_number_precision(15)");
        SameScript("return cjson.encode_sparse_array(false, -1)");
        SameScript("return cjson.encode_sparse_array(1, 2, 3, 4)");
    }

    [SkippableFact]
    public void EncodeMaxDepth_LimitsNesting()
    {
        SameScript("return cjson.encode_max_depth()");
        SameScript("cjson.encode_max_depth(2) local ok, e = pcall(cjson.encode, {{{1}}}) local r = cjson.encode({{1}}) " +
                   "cjson.encode_max_depth(1000) return {tostring(ok), e, r}");
    }

    [SkippableFact]
    public void DecodeMaxDepth_LimitsNesting()
    {
        SameScript("return cjson.decode_max_depth()");
        SameScript("cjson.decode_max_depth(2) local ok, e = pcall(cjson.decode, '[[[1]]]') local ok2, e2 = pcall(cjson.decode, '{\"a\":{\"b\":{}}}') " +
                   "cjson.decode_max_depth(1000) return {tostring(ok), e, tostring(ok2), e2}");
    }

    [SkippableFact]
    public void EncodeNumberPrecision_SetsSignificantDigits()
    {
        SameScript("return cjson.encode_number_precision()");
        SameScript("local p = cjson.encode_number_precision(3) local r = cjson.encode({1/3, 12345, 0.5}) cjson.encode_number_precision(14) return {p, r}");
        SameScript("local p = cjson.encode_number_precision(2.9) cjson.encode_number_precision(14) return p");
    }

    [SkippableFact]
    public void EncodeKeepBuffer_IsAnOnOffSetting()
    {
        SameScript("return cjson.encode_keep_buffer()");
        SameScript("local r = cjson.encode_keep_buffer(false) local s = cjson.encode({1}) cjson.encode_keep_buffer(true) return {tostring(r), s}");
    }

    [SkippableFact]
    public void EncodeSparseArray_ConvertsOrAllowsSparseArrays()
    {
        SameScript("return {cjson.encode_sparse_array()}");
        SameScript("cjson.encode_sparse_array(true) local r = cjson.encode({[1] = 1, [30] = 3}) cjson.encode_sparse_array(false) return r");
        SameScript("local a, b, c = cjson.encode_sparse_array(nil, 3, 4) local r = cjson.encode({[1] = 1, [10] = 3}) " +
                   "local r2 = {pcall(cjson.encode, {[1] = 1, [5] = 3})} cjson.encode_sparse_array(false, 2, 10) return {tostring(a), b, c, r, r2[2]}");
        SameScript("cjson.encode_sparse_array(false, 0) local r = cjson.encode({[1] = 1, [100] = 3}) cjson.encode_sparse_array(false, 2, 10) return #r");
    }

    [SkippableFact]
    public void New_MakesAModuleWithItsOwnSettings()
    {
        SameScript("local c = cjson.new() c.encode_max_depth(1) local ok = pcall(c.encode, {{}}) " +
                   "return {tostring(ok), cjson.encode_max_depth(), c.encode_max_depth(), cjson.encode({{}})}");
        SameScript("return type(cjson.new().null)");
    }

    [SkippableFact]
    public void Encode_KeysAndNulls()
    {
        SameScript("return cjson.encode(cjson.null)");
        SameScript("return cjson.encode({[1.5] = 1})");
        SameScript("return cjson.encode({[-1] = 1})");
        SameScript("return cjson.encode({[2^53] = 1})");
        SameScript("return cjson.encode(12345678901234567890)");
    }

    [SkippableFact]
    public void ScriptFlush_ResetsTheScriptsSettings()
    {
        SameScript("cjson.encode_max_depth(5) return cjson.encode_max_depth()");
        Same("SCRIPT", "FLUSH");
        SameScript("return cjson.encode_max_depth()");
    }

    [SkippableFact]
    public void Functions_HaveSettingsOfTheirOwn()
    {
        RequireRedis();
        Setup("FUNCTION", "LOAD", "REPLACE",
            "#!lua name=cjsonlib\n" +
            "redis.register_function('get_depth', function() return cjson.encode_max_depth() end)\n" +
            "redis.register_function('set_depth', function(keys, args) return cjson.encode_max_depth(args[1]) end)");
        Same("FCALL", "set_depth", "0", "9");
        SameScript("return cjson.encode_max_depth()");
        Same("FCALL", "get_depth", "0");
        Same("SCRIPT", "FLUSH");
        Same("FCALL", "get_depth", "0");
        Same("FCALL", "set_depth", "0", "1000");
        Setup("FUNCTION", "DELETE", "cjsonlib");
    }

    [SkippableFact]
    public void CJsonTable_IsReadOnly()
    {
        SameScript("cjson.x = 1 return 1");
        SameScript("cjson.encode = nil return 1");
    }
}
