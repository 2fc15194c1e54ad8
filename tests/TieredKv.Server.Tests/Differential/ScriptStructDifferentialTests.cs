using TieredKv.Server.Tests.Harness;

namespace TieredKv.Server.Tests.Differential;

/// <summary>The <c>struct</c> library Redis preloads for scripts (lua_struct.c) against real Redis, replies compared byte for byte.</summary>
public sealed class ScriptStructDifferentialTests(DifferentialFixture fixture) : DifferentialTest(fixture)
{
    private void SameScript(string script) => Same("EVAL", script, "0");

    [SkippableFact]
    public void Pack_IntegersInEitherByteOrder()
    {
        SameScript("return struct.pack('>i', 1)");
        SameScript("return struct.pack('<hHbB', -2, 65535, -1, 255)");
        SameScript("return struct.pack('>lL', -5, 5)");
        SameScript("return struct.pack('<i3I5i16', 70000, 2^33, -3)");
        SameScript("return struct.pack('T', 5)");
        SameScript("return struct.pack('>i <i', 258, 258)");
    }

    [SkippableFact]
    public void Pack_NumbersOutOfRange_WrapAsTheCCastsDo()
    {
        SameScript("return struct.pack('>L', 2^63 + 4096)");
        SameScript("return struct.pack('>L', 2^64)");
        SameScript("return struct.pack('>l', -2^70)");
        SameScript("return struct.pack('>b', 300)");
        SameScript("return struct.pack('>i', 1.9, -1.9)");
    }

    [SkippableFact]
    public void Pack_NumericStringsCountAsNumbers()
    {
        SameScript("return struct.pack('>i', '12')");
        SameScript("return struct.pack('>i', ' 0x10 ')");
    }

    [SkippableFact]
    public void Pack_AlignsEachItemToTheAlignmentMark()
    {
        SameScript("return struct.pack('!4 b i', 1, 2)");
        SameScript("return struct.pack('!16 b d', 1, 2)");
        SameScript("return struct.pack('! b h b l', 1, 2, 3, 4)");
        SameScript("return struct.pack('!2 b c3 b', 1, 'abc', 2)");
    }

    [SkippableFact]
    public void Pack_FloatsAndDoubles()
    {
        SameScript("return struct.pack('>d', 1.5)");
        SameScript("return struct.pack('<f', 1.5)");
        SameScript("return struct.pack('>f', 1/3)");
        SameScript("return struct.pack('<d', -1/0)");
    }

    [SkippableFact]
    public void Pack_CountedAndZeroTerminatedStrings()
    {
        SameScript("return struct.pack('c3', 'abcdef')");
        SameScript("return struct.pack('c0', 'whole')");
        SameScript("return struct.pack('sx', 'hello')");
        SameScript("return struct.pack('s', 12.5)");
        SameScript("return struct.pack('c', 'abc')");
    }

    [SkippableFact]
    public void Pack_StringShorterThanItsCount_Fails()
    {
        SameScript("return struct.pack('c3', 'ab')");
        SameScript("return struct.pack('b c3', 1, 'ab')");
    }

    [SkippableFact]
    public void Pack_FormatEndsAtAZeroByte()
    {
        SameScript("return struct.pack('i\\0junk', 5)");
    }

    [SkippableFact]
    public void Pack_InvalidFormat_Fails()
    {
        SameScript("return struct.pack('z', 1)");
        SameScript("return struct.pack('!3i', 1)");
        SameScript("return struct.pack('i33', 1)");
        SameScript("return struct.pack('i99999999999', 1)");
    }

    [SkippableFact]
    public void Pack_MissingOrWrongArguments_NameTheArgument()
    {
        SameScript("return struct.pack('i', nil)");
        SameScript("return struct.pack('ii', 1)");
        SameScript("return struct.pack('i', 'x12')");
        SameScript("return struct.pack('s', {})");
        SameScript("return struct.pack()");
    }

    [SkippableFact]
    public void Errors_UnderPcall_HaveNoPositionAndNoFunctionName()
    {
        SameScript("return {pcall(struct.pack, 'i', nil)}");
        SameScript("return {pcall(struct.unpack, 'i', 'ab')}");
        SameScript("return {pcall(struct.pack, '!3')}");
    }

    [SkippableFact]
    public void Unpack_RoundTripsAndReturnsTheNextOffset()
    {
        SameScript("return {struct.unpack('>i4<h', struct.pack('>i4<h', 100000, -5))}");
        SameScript("return {struct.unpack('!4 b i', struct.pack('!4 b i', 1, 2))}");
        SameScript("return {struct.unpack('<fd', struct.pack('<fd', 0.25, -3.5))}");
        SameScript("return {struct.unpack('sx', struct.pack('sx', 'hello'))}");
        SameScript("return {struct.unpack('>i16', struct.pack('>i16', -3))}");
        SameScript("return tostring(struct.unpack('>I8', struct.pack('>I8', -1)))");
        SameScript("return {struct.unpack('i', 'abcdabcd', 5)}");
    }

    [SkippableFact]
    public void Unpack_C0_TakesItsLengthFromThePreviousNumber()
    {
        SameScript("return {struct.unpack('bc0', struct.pack('bc0', 3, 'abc'))}");
        SameScript("return {struct.unpack('c1c0', '3abc')}");
        SameScript("return {struct.unpack('c0', 'abc')}");
    }

    [SkippableFact]
    public void Unpack_OffsetBelowOneOrDataTooShort_Fails()
    {
        SameScript("return {struct.unpack('i', struct.pack('i', 1), 0)}");
        SameScript("return {struct.unpack('i', struct.pack('i', 1), -1)}");
        SameScript("return {struct.unpack('', 'abc', -1)}");
        SameScript("return struct.unpack('i', 'ab')");
        SameScript("return {struct.unpack('s', 'abc')}");
        SameScript("return {struct.unpack('i', 'abcd', 'x')}");
        SameScript("return struct.unpack('i')");
    }

    [SkippableFact]
    public void Size_SumsFixedSizesWithAlignment()
    {
        SameScript("return struct.size('!8 b d b i2 c5 x l')");
        SameScript("return struct.size('>i3<hT')");
        SameScript("return struct.size('zq!2i')");
    }

    [SkippableFact]
    public void Size_VariableSizeOptions_Fail()
    {
        SameScript("return struct.size('s')");
        SameScript("return struct.size('c0')");
        SameScript("return struct.size()");
    }
}
