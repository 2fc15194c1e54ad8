using System.Buffers.Binary;
using System.Text;
using TieredKv.Rdb.Format;

namespace TieredKv.Rdb.Tests;

/// <summary>The compact decoders read blobs built byte by byte from the formats' descriptions (ziplist.c, listpack.c, intset.c, zipmap.c).</summary>
public sealed class CompactEncodingTests
{
    private static string[] Text(IEnumerable<byte[]> entries) => entries.Select(Encoding.ASCII.GetString).ToArray();

    private static byte[] Ziplist(params byte[][] entries)
    {
        var body = new List<byte>();
        int prev = 0;
        foreach (var e in entries)
        {
            body.Add((byte)prev); // all test entries are short: 1-byte previous length
            body.AddRange(e);
            prev = 1 + e.Length;
        }
        var blob = new byte[10 + body.Count + 1];
        BinaryPrimitives.WriteUInt32LittleEndian(blob, (uint)blob.Length);
        BinaryPrimitives.WriteUInt16LittleEndian(blob.AsSpan(8), (ushort)entries.Length);
        body.CopyTo(blob, 10);
        blob[^1] = 0xFF;
        return blob;
    }

    [Fact]
    public void Ziplist_decodes_strings_and_every_integer_encoding()
    {
        byte[] blob = Ziplist(
            [0x02, (byte)'h', (byte)'i'],         // 6-bit string length
            [0x40, 0x03, (byte)'a', (byte)'b', (byte)'c'], // 14-bit string length
            [0xFE, 0x85],                         // int8 -123
            [0xC0, 0x30, 0xF8],                   // int16 -2000
            [0xF0, 0x40, 0x42, 0x0F],             // int24 1000000
            [0xD0, 0x00, 0x94, 0x35, 0x77],       // int32 2000000000
            [0xE0, 0, 0, 0, 0, 0, 0, 0, 0x80],    // int64 min
            [0xF1],                               // immediate 0
            [0xFD]);                              // immediate 12
        Assert.Equal(["hi", "abc", "-123", "-2000", "1000000", "2000000000", "-9223372036854775808", "0", "12"],
            Text(Format.Ziplist.Entries(blob)));
    }

    [Fact]
    public void Ziplist_with_wrong_entry_count_is_corrupt()
    {
        byte[] blob = Ziplist([0xF2], [0xF3]);
        blob[8] = 3;
        Assert.Throws<RdbFormatException>(() => Format.Ziplist.Entries(blob).ToList());
    }

    [Fact]
    public void Ziplist_entry_running_past_the_end_is_corrupt_with_its_offset()
    {
        byte[] blob = Ziplist([0x05, (byte)'a']);
        var e = Assert.Throws<RdbFormatException>(() => Format.Ziplist.Entries(blob, baseOffset: 1000).ToList());
        Assert.Equal(1010, e.Offset);
    }

    private static byte[] Listpack(params byte[][] entries)
    {
        var body = new List<byte>();
        foreach (var e in entries)
        {
            body.AddRange(e);
            int len = e.Length;
            if (len <= 127) body.Add((byte)len);
            else { body.Add((byte)(len >> 7)); body.Add((byte)(128 | (len & 127))); }
        }
        var blob = new byte[6 + body.Count + 1];
        BinaryPrimitives.WriteUInt32LittleEndian(blob, (uint)blob.Length);
        BinaryPrimitives.WriteUInt16LittleEndian(blob.AsSpan(4), (ushort)entries.Length);
        body.CopyTo(blob, 6);
        blob[^1] = 0xFF;
        return blob;
    }

    [Fact]
    public void Listpack_decodes_strings_and_every_integer_encoding()
    {
        byte[] long12 = [0xE0, 200, .. Enumerable.Repeat((byte)'x', 200)];
        byte[] blob = Listpack(
            [0x05],                               // 7-bit uint
            [0x82, (byte)'o', (byte)'k'],         // 6-bit string
            [0xDF, 0xFF],                         // 13-bit int -1
            [0xC0, 0x64],                         // 13-bit int 100
            long12,                               // 12-bit string of 200
            [0xF1, 0x18, 0xFC],                   // int16 -1000
            [0xF2, 0xC0, 0xBD, 0xF0],             // int24 -1000000
            [0xF3, 0x00, 0x6C, 0xCA, 0x88],       // int32 -2000000000
            [0xF4, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x7F]); // int64 max
        Assert.Equal(["5", "ok", "-1", "100", new string('x', 200), "-1000", "-1000000", "-2000000000", "9223372036854775807"],
            Text(Format.Listpack.Entries(blob)));
    }

    [Fact]
    public void Listpack_32_bit_string_length_is_read()
    {
        byte[] entry = [0xF0, 5, 0, 0, 0, (byte)'h', (byte)'e', (byte)'l', (byte)'l', (byte)'o'];
        Assert.Equal(["hello"], Text(Format.Listpack.Entries(Listpack(entry))));
    }

    [Fact]
    public void Listpack_with_unknown_encoding_is_corrupt()
    {
        byte[] blob = Listpack([0xF5, 0x00]);
        Assert.Throws<RdbFormatException>(() => Format.Listpack.Entries(blob).ToList());
    }

    [Fact]
    public void Listpack_whose_header_length_disagrees_with_the_blob_is_corrupt()
    {
        byte[] blob = Listpack([0x01]);
        blob[0]++;
        Assert.Throws<RdbFormatException>(() => Format.Listpack.Entries(blob));
    }

    [Theory]
    [InlineData(2, new long[] { -3, 1, 300 })]
    [InlineData(4, new long[] { -70000, 5, 2000000000 })]
    [InlineData(8, new long[] { long.MinValue, 0, 4294967296 })]
    public void Intset_decodes_each_width(int width, long[] values)
    {
        var blob = new byte[8 + width * values.Length];
        BinaryPrimitives.WriteUInt32LittleEndian(blob, (uint)width);
        BinaryPrimitives.WriteUInt32LittleEndian(blob.AsSpan(4), (uint)values.Length);
        for (int i = 0; i < values.Length; i++)
        {
            var s = blob.AsSpan(8 + i * width);
            if (width == 2) BinaryPrimitives.WriteInt16LittleEndian(s, (short)values[i]);
            else if (width == 4) BinaryPrimitives.WriteInt32LittleEndian(s, (int)values[i]);
            else BinaryPrimitives.WriteInt64LittleEndian(s, values[i]);
        }
        Assert.Equal(values.Select(v => v.ToString()).ToArray(), Text(Intset.Members(blob)));
    }

    [Fact]
    public void Intset_whose_count_does_not_fit_its_size_is_corrupt()
    {
        byte[] blob = [2, 0, 0, 0, 3, 0, 0, 0, 1, 0, 2, 0];
        Assert.Throws<RdbFormatException>(() => Intset.Members(blob));
    }

    [Fact]
    public void Zipmap_decodes_pairs_and_skips_free_bytes()
    {
        byte[] blob = [2,
            3, (byte)'k', (byte)'e', (byte)'y', 2, 1, (byte)'v', (byte)'1', 0xAA, // value "v1" with one free byte
            1, (byte)'a', 0, 0,                                                   // "a" -> ""
            0xFF];
        var pairs = Zipmap.Pairs(blob).Select(p => $"{Encoding.ASCII.GetString(p.Key)}={Encoding.ASCII.GetString(p.Value)}").ToArray();
        Assert.Equal(["key=v1", "a="], pairs);
    }

    [Fact]
    public void Zipmap_without_end_marker_is_corrupt()
    {
        byte[] blob = [1, 1, (byte)'a', 1, 0, (byte)'b'];
        Assert.Throws<RdbFormatException>(() => Zipmap.Pairs(blob).ToList());
    }
}
