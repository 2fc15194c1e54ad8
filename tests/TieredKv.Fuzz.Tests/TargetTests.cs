using System.Text;
using TieredKv.Rdb;
using TieredKv.Rdb.Format;
using TieredKv.Storage.Format;

namespace TieredKv.Fuzz.Tests;

/// <summary>Each target reports its parser's documented error as a rejection, and accepts its own seeds.</summary>
public sealed class TargetTests
{
    private static ExecutionOutcome Execute(string target, byte[] input) => new FuzzHarness(FuzzTargets.Create(target), TimeSpan.FromSeconds(5)).Execute(input);

    [Theory]
    [InlineData("resp", "*abc\r\n", typeof(ProtocolErrorException))]
    [InlineData("resp", "SET k \"unbalanced\r\n", typeof(ProtocolErrorException))]
    [InlineData("rdb", "NOTREDIS0011", typeof(RdbFormatException))]
    [InlineData("dump", "\0\u0005hello\n\0BADCRC!!", typeof(DumpPayloadException))]
    [InlineData("sstable", "not a table, and far too short for its 64-byte footer", typeof(CorruptionException))]
    [InlineData("wal", "garbage that is no log record at all", typeof(CorruptionException))]
    [InlineData("manifest", "c", typeof(FormatException))]
    public void Target_ReportsRejection_ForInputItsParserRefuses(string target, string input, Type expected)
    {
        var outcome = Execute(target, Encoding.Latin1.GetBytes(input));
        Assert.True(outcome.IsRejection, outcome.Describe());
        Assert.IsType(expected, outcome.Error);
    }

    [Theory]
    [InlineData("resp")]
    [InlineData("rdb")]
    [InlineData("dump")]
    [InlineData("sstable")]
    [InlineData("wal")]
    [InlineData("manifest")]
    public void Target_AcceptsItsWriterMadeSeeds(string target)
    {
        foreach (var (name, data) in FuzzTargets.Create(target).Seeds().Where(s => !s.Name.StartsWith("torn", StringComparison.Ordinal) && s.Name != "partial"))
        {
            var outcome = Execute(target, data);
            Assert.True(outcome.Error == null && outcome.Finding == null, $"{name}: {outcome.Describe()}");
        }
    }

    [Theory]
    [InlineData("dump", "string.dump", 3)]
    [InlineData("sstable", "plain.sst", 10)]
    [InlineData("wal", "segment.log", 12)]
    [InlineData("rdb", "writer-plain.rdb", 22)] // inside the redis-ver AUX value
    public void Repair_GetsAMutantPastTheChecksum(string name, string seed, int at)
    {
        var target = FuzzTargets.Create(name);
        byte[] data = target.Seeds().Single(s => s.Name == seed).Data;
        data[at] ^= 0x20;
        var broken = Execute(name, data);
        var repaired = Execute(name, target.Repair(data));
        Assert.Matches("(?i)checksum|CRC", Reason(broken.Error));
        Assert.DoesNotMatch("(?i)checksum|CRC", Reason(repaired.Error));
    }

    private static string Reason(Exception? e) => e switch
    {
        null => "",
        DumpPayloadException d => d.Message + " " + d.Cause?.Message,
        _ => e.Message,
    };

    [Fact]
    public void Resp_ReportsInvariantViolation_NeverForAValidPipelineSplitAnywhere()
    {
        // The chunked parse is compared with the whole one inside the target: a valid pipeline must agree at every length.
        byte[] pipeline = FuzzTargets.Create("resp").Seeds().Single(s => s.Name == "pipeline").Data;
        for (int length = 0; length <= pipeline.Length; length++)
        {
            var outcome = Execute("resp", pipeline[..length]);
            Assert.True(outcome.Error == null, $"prefix of {length} bytes: {outcome.Describe()}");
        }
    }
}
