using System.Text;
using TieredKv.Rdb.Format;

namespace TieredKv.Rdb.Tests;

public sealed class Crc64JonesTests
{
    [Fact]
    public void Check_value_of_123456789_is_Redis_test_vector() =>
        Assert.Equal(0xe9c6d914c4b8d9caUL, Crc64Jones.Compute("123456789"u8));

    [Fact]
    public void Redis_self_test_paragraph_with_its_terminating_nul_matches_its_documented_value()
    {
        // crc64.c's self-test hashes this text including the C string's NUL (sizeof).
        string text = "Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor incididunt ut labore et dolore magna "
            + "aliqua. Ut enim ad minim veniam, quis nostrud exercitation ullamco laboris nisi ut aliquip ex ea commodo consequat. Duis "
            + "aute irure dolor in reprehenderit in voluptate velit esse cillum dolore eu fugiat nulla pariatur. Excepteur sint "
            + "occaecat cupidatat non proident, sunt in culpa qui officia deserunt mollit anim id est laborum.\0";
        Assert.Equal(0xc7794709e69683b3UL, Crc64Jones.Compute(Encoding.ASCII.GetBytes(text)));
    }

    [Fact]
    public void Sliced_computation_equals_bit_by_bit_reference_for_every_length()
    {
        var data = new byte[300];
        new Random(7).NextBytes(data);
        for (int n = 0; n <= data.Length; n++)
            Assert.Equal(BitwiseReference(data.AsSpan(0, n)), Crc64Jones.Compute(data.AsSpan(0, n)));
    }

    [Fact]
    public void Update_in_pieces_equals_compute_over_the_whole()
    {
        var data = new byte[10_000];
        new Random(3).NextBytes(data);
        ulong crc = 0;
        int at = 0;
        foreach (int piece in new[] { 1, 7, 8, 9, 1000, 3, 4096 })
        {
            crc = Crc64Jones.Update(crc, data.AsSpan(at, piece));
            at += piece;
        }
        crc = Crc64Jones.Update(crc, data.AsSpan(at));
        Assert.Equal(Crc64Jones.Compute(data), crc);
    }

    /// <summary>The textbook reflected CRC: shift one bit at a time with the reversed polynomial.</summary>
    private static ulong BitwiseReference(ReadOnlySpan<byte> data)
    {
        const ulong poly = 0xad93d23594c935a9UL;
        ulong reversed = 0;
        for (int i = 0; i < 64; i++) if ((poly & (1UL << i)) != 0) reversed |= 1UL << (63 - i);
        ulong crc = 0;
        foreach (byte b in data)
        {
            crc ^= b;
            for (int k = 0; k < 8; k++) crc = (crc & 1) != 0 ? (crc >> 1) ^ reversed : crc >> 1;
        }
        return crc;
    }
}
