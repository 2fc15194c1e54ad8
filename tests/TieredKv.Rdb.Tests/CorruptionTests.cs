using TieredKv.Rdb.Format;
using TieredKv.Rdb.Tests.Harness;

namespace TieredKv.Rdb.Tests;

/// <summary>Damaged files fail with <see cref="RdbFormatException"/> naming an offset; they never yield different data silently.</summary>
public sealed class CorruptionTests
{
    private static Dataset Small()
    {
        var d = new Dataset();
        var all = Dataset.Everything();
        foreach (var name in new[] { "str:12", "str:70000", "str:compressible", "hash:small", "set:intset16", "zset:small", "list:small", "str:expiring" })
            d.Add(0, name, all.Keys[(0, name)]);
        d.Add(2, "db2", Dataset.ListOf("a", "b"));
        return d;
    }

    private static byte[] File(Dataset d)
    {
        var ms = new MemoryStream();
        d.WriteRdb(ms);
        return ms.ToArray();
    }

    private static void ReadAll(byte[] bytes) => Dataset.Read(new RdbReader(new MemoryStream(bytes)));

    [Fact]
    public void File_cut_at_every_byte_fails_with_offset_within_the_file()
    {
        byte[] file = File(Small());
        for (int cut = 0; cut < file.Length; cut++)
        {
            var e = Assert.Throws<RdbFormatException>(() => ReadAll(file[..cut]));
            Assert.InRange(e.Offset, 0L, cut);
        }
    }

    [Fact]
    public void Every_single_bit_flip_is_detected()
    {
        byte[] file = File(Small());
        for (int i = 0; i < file.Length; i++)
            for (int bit = 0; bit < 8; bit++)
            {
                byte[] damaged = (byte[])file.Clone();
                damaged[i] ^= (byte)(1 << bit);
                var e = Record.Exception(() => ReadAll(damaged));
                Assert.True(e is RdbFormatException, $"flip of bit {bit} at {i} of {file.Length}: {e?.ToString() ?? "no error"}");
                Assert.InRange(((RdbFormatException)e!).Offset, 0L, file.Length);
            }
    }

    [Fact]
    public void Checksum_mismatch_names_the_checksum_offset()
    {
        byte[] file = File(Small());
        file[^1] ^= 1;
        var e = Assert.Throws<RdbFormatException>(() => ReadAll(file));
        Assert.Equal(file.Length - 8, e.Offset);
        Assert.Contains("CRC", e.Message);
    }

    [Fact]
    public void Unknown_record_type_is_refused_at_its_offset()
    {
        byte[] file = File(Small());
        // SELECTDB 0, RESIZEDB n m (one byte each), then the first key's type byte.
        int firstKey = file.AsSpan().IndexOf(new byte[] { RdbOpcode.SelectDb, 0, RdbOpcode.ResizeDb }) + 5;
        file[firstKey] = 8; // type 8 was never used
        var e = Assert.Throws<RdbFormatException>(() => ReadAll(file));
        Assert.Equal(firstKey, e.Offset);
    }
}
