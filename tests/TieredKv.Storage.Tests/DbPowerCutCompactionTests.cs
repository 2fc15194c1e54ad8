using System.Text;
using TieredKv.Storage.Compaction;
using TieredKv.Storage.IO;

namespace TieredKv.Storage.Tests;

/// <summary>
/// Compaction output is durable, so compaction may act only on durable history: under EverySec a deletion still
/// waiting for its fsync must not let a compaction filter drop what the deletion made dead, or a power cut that
/// loses the deletion leaves a state that is no prefix of the writes.
/// </summary>
public sealed class DbPowerCutCompactionTests
{
    private const string Dir = "/data/db";

    private static byte[] B(string s) => Encoding.ASCII.GetBytes(s);

    /// <summary>Drops every "element" once the "owner" key is gone, as the keyspace drops a deleted collection's members.</summary>
    private sealed class OwnerFilter : ICompactionFilter
    {
        public Db? Db { get; set; }

        public CompactionDecision Filter(in CompactionFilterContext context, ReadOnlySpan<byte> key, ReadOnlySpan<byte> value) =>
            key.StartsWith("element"u8) && Db!.Get("owner"u8, new ReadOptions { Sequence = context.OldestReadSequence }) == null
                ? CompactionDecision.Remove
                : CompactionDecision.Keep;
    }

    [Fact]
    public void DeletionNotYetFsynced_DoesNotLetCompactionDropWhatItKilled()
    {
        var fs = new PowerCutFileSystem();
        fs.CreateDirectory("/data");
        fs.SyncDirectory("/");
        var filter = new OwnerFilter();
        var options = new DbOptions
        {
            FileSystem = fs,
            BackgroundWork = false,
            WalSync = WalSyncPolicy.EverySec,
            WalSyncInterval = TimeSpan.FromHours(1), // the deletion stays unsynced until the cut
            L0CompactionTrigger = 2,
            CompactionFilter = filter,
        };
        var db = Db.Open(Dir, options);
        filter.Db = db;
        db.Put(B("owner"), B("alive"));
        for (int i = 0; i < 50; i++) db.Put(B($"element{i:D2}"), B("x"));
        db.Flush();
        for (int i = 50; i < 100; i++) db.Put(B($"element{i:D2}"), B("x"));
        db.Flush(); // two L0 tables: a compaction is due; both flushes fsynced their segments

        db.Delete(B("owner")); // acknowledged, in the memtable, not fsynced
        Assert.True(db.RunOneCompaction());

        var rebooted = fs.CutPower();
        using var reopened = Db.Open(Dir, options with { FileSystem = rebooted, CompactionFilter = null });
        Assert.Equal("alive", Encoding.ASCII.GetString(reopened.Get(B("owner"))!)); // the deletion was lost, as EverySec allows
        for (int i = 0; i < 100; i++)
            Assert.True(reopened.Get(B($"element{i:D2}")) != null, $"element{i:D2} was dropped by a compaction that acted on a deletion the cut took back");
    }
}
