namespace TieredKv.Tools.Tests;

public sealed class VerifyTests : IDisposable
{
    private readonly DataDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private static void FlipByte(string path, long offset)
    {
        using var f = new FileStream(path, FileMode.Open, FileAccess.ReadWrite);
        f.Position = offset;
        int b = f.ReadByte();
        f.Position = offset;
        f.WriteByte((byte)(b ^ 0x5A));
    }

    [Fact]
    public void CleanDirectory_ExitsZero()
    {
        var (exit, output, _) = KvToolRunner.Run("verify", _dir.Path);

        Assert.True(exit == 0, output);
        Assert.Contains("clean", output);
        Assert.Contains($"{DataDirectory.FlushedKeys} table entries", output);
    }

    [Fact]
    public void FlippedByteInATableBlock_ExitsOne_NamingTheFileAndBlockOffset()
    {
        var table = Assert.Single(_dir.Files("*.sst"));
        FlipByte(table, 100); // inside the first data block, which starts at 0

        var (exit, output, _) = KvToolRunner.Run("verify", _dir.Path);

        Assert.Equal(1, exit);
        Assert.Contains($"CORRUPTION {table} offset 0: block checksum mismatch", output);
    }

    [Fact]
    public void FlippedByteInAWalRecord_ExitsOne_NamingTheFileAndRecordOffset()
    {
        var wal = _dir.Files("*.wal").Last();
        // Records are 8 header bytes + 8 sequence bytes + the batch; damage the second one's payload.
        long secondRecord = WalRecordOffsets(wal)[1];
        FlipByte(wal, secondRecord + 20);

        var (exit, output, _) = KvToolRunner.Run("verify", _dir.Path);

        Assert.Equal(1, exit);
        Assert.Contains($"CORRUPTION {wal} offset {secondRecord}: checksum mismatch", output);
    }

    [Fact]
    public void DamagedLastWalRecord_IsATornTail_ThatOnlyAllowTornTailAccepts()
    {
        var wal = _dir.Files("*.wal").Last();
        long last = WalRecordOffsets(wal)[^1];
        FlipByte(wal, last + 12);

        Assert.Equal(1, KvToolRunner.Run("verify", _dir.Path).Exit);
        var (exit, output, _) = KvToolRunner.Run("verify", _dir.Path, "--allow-torn-tail");
        Assert.Equal(0, exit);
        Assert.Contains($"torn tail {wal} offset {last}", output);
    }

    [Fact]
    public void FlippedByteInAManifestRecord_ExitsOne_NamingTheManifest()
    {
        var manifest = Assert.Single(_dir.Files("MANIFEST-*"));
        Assert.True(WalRecordOffsets(manifest).Count > 1); // same framing as the WAL
        FlipByte(manifest, 10);

        var (exit, output, _) = KvToolRunner.Run("verify", _dir.Path);

        Assert.Equal(1, exit);
        Assert.Contains($"CORRUPTION {manifest} offset 0: checksum mismatch", output);
    }

    [Fact]
    public void DamagedCurrent_IsReported()
    {
        File.WriteAllText(Path.Combine(_dir.Path, "CURRENT"), "MANIFEST-000002");

        var (exit, output, _) = KvToolRunner.Run("verify", _dir.Path);

        Assert.Equal(1, exit);
        Assert.Contains("CURRENT is not one line ending in a newline", output);
    }

    [Fact]
    public void MissingLiveTable_IsReported()
    {
        var table = Assert.Single(_dir.Files("*.sst"));
        File.Delete(table);

        var (exit, output, _) = KvToolRunner.Run("verify", _dir.Path);

        Assert.Equal(1, exit);
        Assert.Contains($"live table {Path.GetFileName(table)} is missing", output);
    }

    [Fact]
    public void Verify_ModifiesNothing()
    {
        var before = Directory.GetFiles(_dir.Path).ToDictionary(f => f, f => Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(f))));

        KvToolRunner.Run("verify", _dir.Path);

        var after = Directory.GetFiles(_dir.Path).ToDictionary(f => f, f => Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(f))));
        Assert.Equal(before, after);
    }

    [Fact]
    public void MissingDirectory_ExitsTwo()
    {
        var (exit, _, error) = KvToolRunner.Run("verify", Path.Combine(_dir.Path, "nope"));
        Assert.Equal(2, exit);
        Assert.Contains("no directory", error);
    }

    /// <summary>The offsets of a WAL's records, by walking their length fields.</summary>
    internal static List<long> WalRecordOffsets(string wal)
    {
        var bytes = File.ReadAllBytes(wal);
        var offsets = new List<long>();
        for (long at = 0; at + 8 <= bytes.Length; at += 8 + BitConverter.ToUInt32(bytes, (int)at)) offsets.Add(at);
        return offsets;
    }
}
