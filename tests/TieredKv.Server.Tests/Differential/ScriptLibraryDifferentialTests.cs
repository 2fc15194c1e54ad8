using TieredKv.Server.Tests.Harness;

namespace TieredKv.Server.Tests.Differential;

/// <summary>The libraries Redis preloads for scripts (cjson, cmsgpack, bit) against real Redis, replies compared byte for byte.</summary>
public sealed class ScriptLibraryDifferentialTests(DifferentialFixture fixture) : DifferentialTest(fixture)
{
    private void SameScript(string script) => Same("EVAL", script, "0");

    [SkippableFact]
    public void CJsonEncode_ArraysObjectsAndEmptyTable()
    {
        SameScript("return cjson.encode({})");
        SameScript("return cjson.encode({1, 2, 'a', {b = 1.5}, true, false})");
        SameScript("return cjson.encode({a = {}})");
        SameScript("return cjson.encode({[1] = 1, [3] = 3})");
        SameScript("return cjson.encode({1, 2, x = 3})");
        SameScript("return cjson.encode({[0] = 1})");
        SameScript("return cjson.encode({1, cjson.null, 3})");
    }

    [SkippableFact]
    public void CJsonEncode_NumbersUseFourteenSignificantDigits()
    {
        SameScript("return cjson.encode({1/3, 1e20, 2^53, -0.5, 100, 123456789012345678})");
    }

    [SkippableFact]
    public void CJsonEncode_EscapesQuotesSlashesAndControlCharacters()
    {
        SameScript("return cjson.encode('a\"b\\\\c/d\\n\\r\\t\\b\\f' .. string.char(1, 31, 127, 200))");
    }

    [SkippableFact]
    public void CJsonEncode_UnsupportedValues_Fail()
    {
        SameScript("return cjson.encode(function() end)");
        SameScript("return cjson.encode({[1] = 1, [30] = 3})");
        SameScript("return cjson.encode(math.huge)");
        SameScript("return cjson.encode({[true] = 1})");
        SameScript("return cjson.encode()");
    }

    [SkippableFact]
    public void CJsonDecode_ValuesRoundTrip()
    {
        SameScript("local t = cjson.decode('{\"a\":[1,2.5,\"x\",true,false,null],\"b\":{\"c\":-3e2}}') " +
                   "return {t.a[1], t.a[2] * 2, t.a[3], tostring(t.a[4]), tostring(t.a[5]), tostring(t.a[6] == cjson.null), t.b.c}");
        SameScript("return cjson.decode('  \"\\\\u00e9\\\\ud83d\\\\ude00\\\\n\\\\/\"  ')");
        SameScript("return cjson.encode(cjson.decode('[[],{},[[1]],{\"k\":{\"k\":\"v\"}}]'))");
        SameScript("return cjson.decode(42)");
    }

    [SkippableFact]
    public void CJsonDecode_MalformedText_FailsWithCharacterPosition()
    {
        SameScript("return cjson.decode('x')");
        SameScript("return cjson.decode('')");
        SameScript("return cjson.decode('{\"a\":')");
        SameScript("return cjson.decode('[1,2')");
        SameScript("return cjson.decode('[1] x')");
        SameScript("return cjson.decode('{1:2}')");
        SameScript("return cjson.decode('{\"a\" 1}')");
        SameScript("return cjson.decode('{\"a\":1 \"b\"}')");
        SameScript("return cjson.decode('\"abc')");
        SameScript("return cjson.decode('\"\\\\q\"')");
        SameScript("return cjson.decode('-')");
        SameScript("return cjson.decode()");
    }

    [SkippableFact]
    public void CJsonErrors_AreCatchableWithPcall()
    {
        SameScript("local ok, e = pcall(cjson.decode, '[') return {tostring(ok), e}");
    }

    [SkippableFact]
    public void CMsgPackPack_ChoosesTheSmallestEncoding()
    {
        SameScript("return cmsgpack.pack(1, -1, 127, 128, 300, 70000, 2^40, -31, -33, -200, -70000, -2^40)");
        SameScript("return cmsgpack.pack(1.5, 0.1, 1e20, -0.25)");
        SameScript("return cmsgpack.pack('ab', string.rep('a', 40), string.rep('b', 300), true, false, nil)");
        SameScript("return cmsgpack.pack({}, {1, 2, {3}}, {a = 1}, {[1] = 1, [3] = 3})");
        SameScript("local t = {} for i = 1, 20 do t[i] = i end return cmsgpack.pack(t)");
    }

    [SkippableFact]
    public void CMsgPackPack_WithoutArguments_Fails()
    {
        SameScript("return cmsgpack.pack()");
    }

    [SkippableFact]
    public void CMsgPackUnpack_ReturnsEveryValue()
    {
        SameScript("return {cmsgpack.unpack(cmsgpack.pack(1, 'x', {1, {2, 'y'}}, -70000, 2^40))}");
        SameScript("local t = cmsgpack.unpack(cmsgpack.pack({a = 1})) return t.a");
        SameScript("return tostring(cmsgpack.unpack(cmsgpack.pack(0.1)))");
        SameScript("return cmsgpack.unpack('')");
        SameScript("local a, b, c = cmsgpack.unpack(cmsgpack.pack(true, false, nil)) return {tostring(a), tostring(b), tostring(c)}");
    }

    [SkippableFact]
    public void CMsgPackUnpackOneAndLimit_ReturnTheNextOffset()
    {
        SameScript("return {cmsgpack.unpack_one(cmsgpack.pack(1, 2, 3))}");
        SameScript("return {cmsgpack.unpack_one(cmsgpack.pack(1, 2, 3), 2)}");
        SameScript("return {cmsgpack.unpack_limit(cmsgpack.pack(1, 2, 3), 2)}");
        SameScript("return {cmsgpack.unpack_limit(cmsgpack.pack(1, 'ab', 3), 1, 1)}");
    }

    [SkippableFact]
    public void CMsgPackUnpackLimit_ZeroLimitAtOffsetZero_UnpacksEverythingWithoutAnOffset()
    {
        SameScript("return {cmsgpack.unpack_limit(cmsgpack.pack(1, 2, 3), 0)}");
        SameScript("return {cmsgpack.unpack_limit(cmsgpack.pack(1, 2, 3), 0, 1)}");
        SameScript("return {cmsgpack.unpack_limit(cmsgpack.pack(1, 2, 3), 1.7)}");
    }

    [SkippableFact]
    public void CMsgPackUnpack_BadLimitsAndOffsets_Fail()
    {
        SameScript("return {cmsgpack.unpack_limit(cmsgpack.pack(1, 2, 3), -1)}");
        SameScript("return {cmsgpack.unpack_one(cmsgpack.pack(1, 2, 3), -1)}");
        SameScript("return {cmsgpack.unpack_one(cmsgpack.pack(1, 2, 3), 10)}");
        SameScript("return {cmsgpack.unpack_limit(cmsgpack.pack(1, 2, 3), 'x')}");
        SameScript("return {cmsgpack.unpack_limit(cmsgpack.pack(1, 2, 3))}");
        SameScript("return {cmsgpack.unpack_limit(nil, 1)}");
        SameScript("return {cmsgpack.unpack_limit(nil, nil)}");
        SameScript("return {cmsgpack.unpack()}");
    }

    [SkippableFact]
    public void CMsgPackUnpack_TruncatedOrMalformedInput_Fails()
    {
        SameScript("return cmsgpack.unpack(string.char(146, 1))");
        SameScript("return cmsgpack.unpack(string.char(193))");
        SameScript("return cmsgpack.unpack(string.char(205, 1))");
    }

    [SkippableFact]
    public void Bit_LogicalOperations_Are32Bit()
    {
        SameScript("return {bit.band(255, 15), bit.bor(1, 2, 4), bit.bxor(5, 3), bit.bnot(0), bit.bnot(-1), bit.band(2^32 + 7, 3)}");
    }

    [SkippableFact]
    public void Bit_Shifts_RotatesAndByteSwap()
    {
        SameScript("return {bit.lshift(1, 31), bit.lshift(1, 32), bit.rshift(-1, 28), bit.arshift(-256, 4), bit.arshift(256, 4), " +
                   "bit.rol(305419896, 8), bit.ror(305419896, 8), bit.bswap(305419896), bit.lshift(3, -1)}");
    }

    [SkippableFact]
    public void Bit_ToBitAndToHex_NormalizeNumbers()
    {
        SameScript("return {bit.tobit(2^32 + 5), bit.tobit(1.7), bit.tobit(2.5), bit.tobit(-1.5), bit.tobit(2^31), bit.tobit('12')}");
        SameScript("return {bit.tohex(-1), bit.tohex(255, -4), bit.tohex(255, 2), bit.tohex(1.5), bit.tohex(305419896, 12)}");
    }

    [SkippableFact]
    public void Bit_NonNumberArguments_Fail()
    {
        SameScript("return bit.band('x')");
        SameScript("return bit.band()");
        SameScript("return bit.lshift(1, {})");
    }
}
