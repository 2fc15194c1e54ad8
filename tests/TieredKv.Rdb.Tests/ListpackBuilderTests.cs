using TieredKv.Rdb.Format;

namespace TieredKv.Rdb.Tests;

/// <summary>Listpacks we build use listpack.c's encodings and sizes, and read back item for item.</summary>
public sealed class ListpackBuilderTests
{
    [Theory]
    [InlineData(0L, 1)]
    [InlineData(127L, 1)]
    [InlineData(128L, 2)]
    [InlineData(-1L, 2)]
    [InlineData(-4096L, 2)]
    [InlineData(4095L, 2)]
    [InlineData(4096L, 3)]
    [InlineData(-4097L, 3)]
    [InlineData(32767L, 3)]
    [InlineData(-32768L, 3)]
    [InlineData(32768L, 4)]
    [InlineData(-8388608L, 4)]
    [InlineData(8388608L, 5)]
    [InlineData(2147483647L, 5)]
    [InlineData(-2147483649L, 9)]
    [InlineData(long.MinValue, 9)]
    [InlineData(long.MaxValue, 9)]
    public void Integer_takes_the_smallest_encoding_and_reads_back(long value, int encodedBytes)
    {
        var b = new ListpackBuilder();
        b.AppendInteger(value);
        byte[] lp = b.Finish().ToArray();
        Assert.Equal(ListpackReader.HeaderSize + encodedBytes + 1 + 1, lp.Length); // entry, 1-byte back-length, end
        var r = new ListpackReader(lp, 0);
        var item = r.Next("the integer");
        Assert.False(item.IsString);
        Assert.Equal(value, item.Integer);
        Assert.True(r.AtEnd);
    }

    [Theory]
    [InlineData("", false)]
    [InlineData("007", false)]
    [InlineData("-0", false)]
    [InlineData("+5", false)]
    [InlineData("9223372036854775808", false)]
    [InlineData("-9223372036854775808", true)]
    [InlineData("12", true)]
    public void Strings_that_read_as_int64_are_stored_as_integers_like_lpAppend(string text, bool asInteger)
    {
        var b = new ListpackBuilder();
        b.Append(Ascii(text));
        byte[] lp = b.Finish().ToArray();
        Assert.Equal(!asInteger, new ListpackReader(lp, 0).Next("the item").IsString);
        Assert.Equal(text, System.Text.Encoding.ASCII.GetString(new ListpackReader(lp, 0).NextBytes("the item")));
    }

    [Theory]
    [InlineData(63, 1)]
    [InlineData(64, 2)]
    [InlineData(4095, 2)]
    [InlineData(4096, 5)]
    public void String_length_header_grows_at_64_and_4096_bytes(int length, int headerBytes)
    {
        var b = new ListpackBuilder();
        b.Append(new byte[length]);
        byte[] lp = b.Finish().ToArray();
        long entry = headerBytes + length;
        Assert.Equal(ListpackReader.HeaderSize + entry + ListpackReader.BackLengthSize(entry) + 1, lp.Length);
        Assert.Equal(lp.Length, b.TotalBytes);
        Assert.Equal(new byte[length], new ListpackReader(lp, 0).NextBytes("the string"));
    }

    [Fact]
    public void Existing_reader_reads_what_the_builder_wrote_with_its_count()
    {
        var b = new ListpackBuilder();
        string[] items = ["a", "1", "-5000", new string('x', 200), "", "hello"];
        foreach (string s in items) b.Append(Ascii(s));
        byte[] lp = b.Finish().ToArray();
        Assert.Equal(items.Length, BitConverter.ToUInt16(lp, 4));
        Assert.Equal(items, Listpack.Entries(lp).Select(e => System.Text.Encoding.ASCII.GetString(e)));
    }

    private static byte[] Ascii(string s) => System.Text.Encoding.ASCII.GetBytes(s);
}
