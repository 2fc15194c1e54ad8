using System.Text;
using TieredKv.Rdb.Format;

namespace TieredKv.Rdb.Tests;

public sealed class LzfTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(33)]
    [InlineData(100_000)]
    public void Compressible_data_round_trips_and_shrinks(int repeats)
    {
        byte[] input = Encoding.ASCII.GetBytes(string.Concat(Enumerable.Repeat("abcdefghij0123", repeats)) + "tail");
        var compressed = new byte[input.Length + 64];
        int n = Lzf.Compress(input, compressed);
        Assert.True(n > 0);
        if (repeats > 3) Assert.True(n < input.Length / 2, $"{n} of {input.Length}");
        var output = new byte[input.Length];
        Assert.True(Lzf.TryDecompress(compressed.AsSpan(0, n), output));
        Assert.Equal(input, output);
    }

    [Fact]
    public void Random_data_round_trips_when_output_has_room()
    {
        var rnd = new Random(5);
        for (int len = 1; len < 3000; len += 97)
        {
            var input = new byte[len];
            rnd.NextBytes(input);
            // Mix in runs so both literals and matches (incl. overlapping ones) occur.
            for (int i = 0; i + 10 < len; i += 50) input.AsSpan(i, 10).Fill(input[i]);
            var compressed = new byte[len + len / 32 + 16];
            int n = Lzf.Compress(input, compressed);
            var output = new byte[len];
            Assert.True(Lzf.TryDecompress(compressed.AsSpan(0, n), output));
            Assert.Equal(input, output);
        }
    }

    [Fact]
    public void One_compressor_reused_for_many_inputs_never_refers_to_an_earlier_input()
    {
        var compressor = new LzfCompressor();
        var rnd = new Random(11);
        byte[] shared = Encoding.ASCII.GetBytes("a phrase that repeats across inputs ");
        for (int n = 0; n < 2000; n++)
        {
            // Inputs share phrases, so stale table entries would match if they were not recognised as stale.
            var input = new byte[21 + rnd.Next(200)];
            rnd.NextBytes(input);
            shared.AsSpan(0, Math.Min(shared.Length, input.Length - 1)).CopyTo(input.AsSpan(rnd.Next(input.Length - Math.Min(shared.Length, input.Length - 1))));
            var compressed = new byte[input.Length * 2 + 16];
            int c = compressor.Compress(input, compressed);
            var output = new byte[input.Length];
            Assert.True(Lzf.TryDecompress(compressed.AsSpan(0, c), output));
            Assert.Equal(input, output);
        }
    }

    [Theory]
    [InlineData(8)]
    [InlineData(10)]
    [InlineData(20)]
    public void Any_table_size_compresses_what_decompresses_back(int hashBits)
    {
        var compressor = new LzfCompressor(hashBits);
        byte[] input = Encoding.ASCII.GetBytes(string.Concat(Enumerable.Range(0, 400).Select(i => $"key:{i % 37}:value ")));
        var compressed = new byte[input.Length];
        int n = compressor.Compress(input, compressed);
        Assert.True(n > 0 && n < input.Length / 2, $"{n} of {input.Length}");
        var output = new byte[input.Length];
        Assert.True(Lzf.TryDecompress(compressed.AsSpan(0, n), output));
        Assert.Equal(input, output);
    }

    [Fact]
    public void Compress_reports_zero_when_output_is_too_small()
    {
        var input = new byte[200];
        new Random(1).NextBytes(input);
        Assert.Equal(0, Lzf.Compress(input, new byte[input.Length - 4]));
    }

    [Fact]
    public void Decompress_of_hand_made_stream_follows_the_format()
    {
        // Literal run "ab" (ctrl 1), then a match of length 4 (ctrl (4-2)<<5) at distance 2 (offset byte 1): "ababab".
        byte[] stream = [0x01, (byte)'a', (byte)'b', 2 << 5, 0x01];
        var output = new byte[6];
        Assert.True(Lzf.TryDecompress(stream, output));
        Assert.Equal("ababab"u8.ToArray(), output);
    }

    [Fact]
    public void Decompress_refuses_a_reference_before_the_start()
    {
        byte[] stream = [0x00, (byte)'a', 2 << 5, 0x05];
        Assert.False(Lzf.TryDecompress(stream, new byte[5]));
    }

    [Fact]
    public void Decompress_refuses_output_length_mismatch()
    {
        byte[] stream = [0x02, (byte)'a', (byte)'b', (byte)'c'];
        Assert.False(Lzf.TryDecompress(stream, new byte[4]));
        Assert.False(Lzf.TryDecompress(stream, new byte[2]));
    }
}
