using System.Text;
using TieredKv.Rdb.Format;

namespace TieredKv.Rdb.Tests;

/// <summary>Lengths and strings are written in the byte layouts rdb.c reads, and read back.</summary>
public sealed class RdbEncodingTests
{
    private static byte[] Written(Action<RdbOutput> write)
    {
        var ms = new MemoryStream();
        var o = new RdbOutput(ms);
        write(o);
        o.Flush();
        return ms.ToArray();
    }

    private static RdbInput Input(byte[] bytes) => new(new MemoryStream(bytes));

    [Theory]
    [InlineData(0UL, "00")]
    [InlineData(63UL, "3F")]
    [InlineData(64UL, "4040")]
    [InlineData(16383UL, "7FFF")]
    [InlineData(16384UL, "8000004000")]
    [InlineData(4294967295UL, "80FFFFFFFF")]
    [InlineData(4294967296UL, "810000000100000000")]
    public void Length_has_Redis_layout_and_reads_back(ulong length, string hex)
    {
        byte[] bytes = Written(o => o.WriteLength(length));
        Assert.Equal(hex, Convert.ToHexString(bytes));
        Assert.Equal(length, Input(bytes).ReadLength("test"));
    }

    [Theory]
    [InlineData("0", "C000")]
    [InlineData("-128", "C080")]
    [InlineData("127", "C07F")]
    [InlineData("128", "C18000")]
    [InlineData("-32768", "C10080")]
    [InlineData("32768", "C200800000")]
    [InlineData("-2147483648", "C200000080")]
    public void Canonical_int32_strings_use_integer_encodings(string text, string hex)
    {
        byte[] bytes = Written(o => o.WriteString(Encoding.ASCII.GetBytes(text)));
        Assert.Equal(hex, Convert.ToHexString(bytes));
        Assert.Equal(text, Encoding.ASCII.GetString(Input(bytes).ReadString("test")));
    }

    [Theory]
    [InlineData("007")]
    [InlineData("+5")]
    [InlineData("-0")]
    [InlineData("2147483648")]
    [InlineData("1 ")]
    [InlineData("")]
    public void Non_canonical_or_wide_integers_stay_raw(string text)
    {
        byte[] bytes = Written(o => o.WriteString(Encoding.ASCII.GetBytes(text)));
        Assert.Equal(text.Length, bytes[0]);
        Assert.Equal(text, Encoding.ASCII.GetString(Input(bytes).ReadString("test")));
    }

    [Fact]
    public void Compressible_string_over_20_bytes_is_written_as_lzf()
    {
        byte[] value = Encoding.ASCII.GetBytes(new string('a', 100));
        byte[] bytes = Written(o => o.WriteString(value));
        Assert.Equal(0xC3, bytes[0]);
        Assert.True(bytes.Length < 20);
        Assert.Equal(value, Input(bytes).ReadString("test"));
    }

    [Fact]
    public void Compressible_string_of_20_bytes_stays_raw_as_in_Redis()
    {
        byte[] value = Encoding.ASCII.GetBytes(new string('a', 20));
        byte[] bytes = Written(o => o.WriteString(value));
        Assert.Equal(20, bytes[0]);
    }

    [Fact]
    public void Incompressible_long_string_stays_raw()
    {
        var value = new byte[500];
        new Random(2).NextBytes(value);
        byte[] bytes = Written(o => o.WriteString(value));
        Assert.Equal(0x40 | (500 >> 8), bytes[0]);
        Assert.Equal(value, Input(bytes).ReadString("test"));
    }

    [Fact]
    public void String_double_of_old_zset_type_reads_infinities_and_text()
    {
        byte[] bytes = [254, 255, 3, (byte)'1', (byte)'.', (byte)'5'];
        var input = Input(bytes);
        Assert.Equal(double.PositiveInfinity, input.ReadStringDouble("s"));
        Assert.Equal(double.NegativeInfinity, input.ReadStringDouble("s"));
        Assert.Equal(1.5, input.ReadStringDouble("s"));
    }

    [Fact]
    public void Claimed_huge_string_fails_as_truncation_without_allocating_it()
    {
        // 0x81 + 8-byte length of 2 GiB - 1, then only a few bytes.
        byte[] bytes = [0x81, 0, 0, 0, 0, 0x7F, 0xFF, 0xFF, 0xC0, 1, 2, 3];
        long before = GC.GetAllocatedBytesForCurrentThread();
        var e = Assert.Throws<RdbFormatException>(() => Input(bytes).ReadString("value"));
        Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < 16 << 20);
        Assert.Equal(bytes.Length, e.Offset);
    }

    [Fact]
    public void Lzf_claiming_impossible_expansion_is_refused()
    {
        byte[] bytes = [0xC3, 0x02, 0x80, 0x00, 0x10, 0x00, 0x00, 0x00, (byte)'a'];
        var e = Assert.Throws<RdbFormatException>(() => Input(bytes).ReadString("value"));
        Assert.Contains("LZF", e.Message);
    }
}
