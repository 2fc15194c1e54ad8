namespace TieredKv.Tools.Tests;

public sealed class InspectTests : IDisposable
{
    private readonly DataDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Table_ReportsItsEntriesBlocksKeyRangeAndCompression()
    {
        var (exit, output, _) = KvToolRunner.Run("inspect", Assert.Single(_dir.Files("*.sst")));

        Assert.Equal(0, exit);
        Assert.Contains($"entries           {DataDirectory.FlushedKeys} (0 deletions)", output);
        Assert.Contains("key range         \"key:000000\" .. \"key:002999\"", output);
        Assert.Matches(@"compression ratio ([2-9]|\d\d)\.\d\d", output); // values are runs of one letter
        Assert.Matches(@"data blocks       (\d+) \(\1 LZ4-compressed\)", output);
        Assert.Contains($"entries              {DataDirectory.FlushedKeys}", output);
    }

    [Fact]
    public void Wal_ReportsItsRecordsOperationsAndSequences()
    {
        var (exit, output, _) = KvToolRunner.Run("inspect", _dir.Files("*.wal").Last());

        Assert.Equal(0, exit);
        Assert.Contains($"records           {DataDirectory.UnflushedKeys} ({DataDirectory.UnflushedKeys} write batches)", output);
        Assert.Contains($"operations        {DataDirectory.UnflushedKeys} ({DataDirectory.UnflushedKeys} puts, 0 deletions, 0 range deletions)", output);
        Assert.Contains($"sequences         {DataDirectory.FlushedKeys + 1} .. {DataDirectory.FlushedKeys + DataDirectory.UnflushedKeys}", output);
        Assert.Contains("torn tail         none", output);
    }

    [Fact]
    public void Wal_ReportsATornTail()
    {
        var wal = _dir.Files("*.wal").Last();
        long last = VerifyTests.WalRecordOffsets(wal)[^1];
        using (var f = new FileStream(wal, FileMode.Open)) f.SetLength(last + 10); // a record cut short

        var (exit, output, _) = KvToolRunner.Run("inspect", wal);

        Assert.Equal(0, exit);
        Assert.Contains($"records           {DataDirectory.UnflushedKeys - 1} ", output);
        Assert.Contains($"torn tail         at offset {last}", output);
    }

    [Fact]
    public void Manifest_ReportsTheLiveTable()
    {
        var table = Path.GetFileNameWithoutExtension(Assert.Single(_dir.Files("*.sst")));

        var (exit, output, _) = KvToolRunner.Run("inspect", Assert.Single(_dir.Files("MANIFEST-*")));

        Assert.Equal(0, exit);
        Assert.Matches($@"L0 +1 tables, [^:]+: {ulong.Parse(table)}\b", output);
    }

    [Fact]
    public void UnknownFile_ExitsTwo()
    {
        var path = Path.Combine(_dir.Path, "notes.txt");
        File.WriteAllText(path, "hello");

        Assert.Equal(2, KvToolRunner.Run("inspect", path).Exit);
    }

    [Fact]
    public void Help_ListsTheVerbs()
    {
        var (exit, output, _) = KvToolRunner.Run("--help");

        Assert.Equal(0, exit);
        Assert.Contains("verify", output);
        Assert.Contains("inspect", output);
        Assert.Contains("dump", output);
        Assert.Contains("restore", output);
    }

    [Theory]
    [InlineData("verify")]
    [InlineData("inspect")]
    [InlineData("dump")]
    [InlineData("restore")]
    public void EveryVerb_HasHelp(string verb)
    {
        var (exit, output, _) = KvToolRunner.Run(verb, "--help");

        Assert.Equal(0, exit);
        Assert.Matches($@"Usage:\s+\S+ {verb} <", output); // the program name is the test host's here
        Assert.Contains("Exit", output); // each description states its exit codes
    }
}
