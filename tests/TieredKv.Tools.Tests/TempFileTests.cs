using TieredKv.Tools.Tests.Harness;

namespace TieredKv.Tools.Tests;

public sealed class TempFileTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void AFailedWrite_KeepsTheOldFile_AndRemovesTheTempFile()
    {
        string path = _temp.File("dump.rdb");
        File.WriteAllText(path, "old");

        Assert.Throws<IOException>(() => TempFile.Write<int>(path, stream =>
        {
            stream.Write(new byte[5000]);
            throw new IOException("connection lost half-way");
        }));

        Assert.Equal("old", File.ReadAllText(path));
        Assert.Equal([path], Directory.GetFiles(_temp.Path));
    }

    [Fact]
    public void ACompleteWrite_ReplacesTheFile()
    {
        string path = _temp.File("dump.rdb");
        File.WriteAllText(path, "old");

        TempFile.Write(path, stream => { stream.Write("new"u8); return 0; });

        Assert.Equal("new", File.ReadAllText(path));
        Assert.Equal([path], Directory.GetFiles(_temp.Path));
    }
}
