using System.Text;
using TieredKv.Keyspace;
using TieredKv.Types.SortedSets;

namespace TieredKv.Tests.Keyspace;

public sealed class ImportTests : IDisposable
{
    private readonly StoreFixture _f = new();
    private KvDatabase Db => _f.Db;

    public void Dispose() => _f.Dispose();

    private static byte[] B(string s) => Encoding.UTF8.GetBytes(s);
    private static string S(byte[] b) => Encoding.UTF8.GetString(b);
    private static byte[] Field(int i) => B($"field:{i:D6}");

    [Fact]
    public void Import_IsInvisibleUntilComplete()
    {
        using var import = Db.BeginImport(B("h"), KeyType.Hash);
        for (int i = 0; i < 5000; i++) import.AddHashField(Field(i), B("v")); // several batches reach the LSM

        Assert.False(Db.Exists(B("h")));
        Assert.Equal(0, Db.DbSize());
        Assert.Empty(Db.Keys("*"u8));

        Assert.True(import.Complete());
        Assert.Equal(5000, Db.HLen(B("h")));
        Assert.Equal(1, Db.DbSize());
    }

    [Fact]
    public void AbandonedImport_LeavesNothing_AndCompactionDropsItsElements()
    {
        using (var import = Db.BeginImport(B("h"), KeyType.Hash))
            for (int i = 0; i < 5000; i++) import.AddHashField(Field(i), B("value"));

        Assert.False(Db.Exists(B("h")));
        Assert.Equal(0, Db.DbSize());
        Assert.Equal(0, _f.CompactAndCountElementRecords());
        _f.Reopen();
        Assert.Equal(0, Db.DbSize());
    }

    [Fact]
    public void CompletedImport_KeepsItsElements_ThroughCompactionDuringIt()
    {
        using var import = Db.BeginImport(B("h"), KeyType.Hash);
        for (int i = 0; i < 2500; i++) import.AddHashField(Field(i), B("v"));
        _f.Store.Engine.CompactRange(); // the live marker does not exist yet
        for (int i = 2500; i < 5000; i++) import.AddHashField(Field(i), B("v"));
        import.Complete();

        Assert.Equal(5000, _f.CompactAndCountElementRecords());
        Assert.Equal(5000, Db.HGetAll(B("h")).Count);
    }

    [Fact]
    public void CompletedImport_KeepsItsElements_WhenCompactedUnderASnapshotTakenDuringIt()
    {
        using var import = Db.BeginImport(B("h"), KeyType.Hash);
        for (int i = 0; i < 2500; i++) import.AddHashField(Field(i), B("v"));
        using var snapshot = _f.Store.OpenSnapshot(); // sees elements but no live marker
        for (int i = 2500; i < 5000; i++) import.AddHashField(Field(i), B("v"));
        import.Complete();

        Assert.Equal(5000, _f.CompactAndCountElementRecords());
        Assert.Equal(5000, Db.HGetAll(B("h")).Count);
        Assert.Equal(0, snapshot.KeyCount(0));
    }

    [Fact]
    public void ReplaceFalse_OnAnExistingKey_IsBusyKey()
    {
        Db.Set(B("k"), B("v"));
        var e = Assert.Throws<KvException>(() => Db.BeginImport(B("k"), KeyType.Set, replace: false));
        Assert.Equal("BUSYKEY Target key name already exists.", e.Message);
    }

    [Fact]
    public void ReplaceFalse_OnAKeyCreatedDuringTheImport_IsBusyKeyAtComplete()
    {
        using var import = Db.BeginImport(B("k"), KeyType.Set, replace: false);
        import.AddSetMember(B("m"));
        Db.Set(B("k"), B("v"));

        var e = Assert.Throws<KvException>(() => import.Complete());
        Assert.Equal("BUSYKEY Target key name already exists.", e.Message);
        Assert.Equal("v", S(Db.Get(B("k"))!));
    }

    [Fact]
    public void ReplaceTrue_OverwritesAKeyOfAnotherType_AndDropsItsElementsAtCompaction()
    {
        Db.SAdd(B("k"), Enumerable.Range(0, 3000).Select(Field).ToList());
        Db.Expire(B("k"), TimeSpan.FromHours(1));

        using var import = Db.BeginImport(B("k"), KeyType.Hash, replace: true);
        import.AddHashField(B("f"), B("v"));
        import.Complete();

        Assert.Equal(KeyType.Hash, Db.Type(B("k")));
        Assert.Equal([("f", "v")], Db.HGetAll(B("k")).Select(p => (S(p.Field), S(p.Value))));
        Assert.Equal(-1, Db.PTtl(B("k")));
        Assert.Equal(1, Db.DbSize());
        Assert.Equal(1, _f.CompactAndCountElementRecords());
    }

    [Fact]
    public void DuplicateSortedSetMember_CountsOnce_AndTheLastScoreWins()
    {
        using var import = Db.BeginImport(B("z"), KeyType.SortedSet);
        import.AddSortedSetMember(B("dup"), 1);
        for (int i = 0; i < 3000; i++) import.AddSortedSetMember(Field(i), 100 + i); // pushes "dup" into an earlier batch
        import.AddSortedSetMember(B("dup"), 5000);
        import.AddSortedSetMember(B("late"), 7);
        import.AddSortedSetMember(B("late"), 8); // a repeat within the same batch
        import.Complete();

        Assert.Equal(3002, Db.ZCard(B("z")));
        Assert.Equal(5000, Db.ZScore(B("z"), B("dup")));
        Assert.Equal(8, Db.ZScore(B("z"), B("late")));
        Assert.Equal(0, Db.ZCount(B("z"), new ScoreBound(0), new ScoreBound(7))); // no stale index entries
        Assert.Equal(3002, Db.ZRangeByRank(B("z"), 0, -1).Count);
        Assert.Equal("dup", S(Db.ZRangeByRank(B("z"), -1, -1)[0].Member));
    }

    [Fact]
    public void DuplicateHashField_CountsOnce_AndTheLastValueWins()
    {
        using var import = Db.BeginImport(B("h"), KeyType.Hash);
        import.AddHashField(B("dup"), B("first"));
        for (int i = 0; i < 3000; i++) import.AddHashField(Field(i), B("v"));
        import.AddHashField(B("dup"), B("last"));
        import.Complete();

        Assert.Equal(3001, Db.HLen(B("h")));
        Assert.Equal("last", S(Db.HGet(B("h"), B("dup"))!));
    }

    [Fact]
    public void DuplicateSetMember_CountsOnce()
    {
        using var import = Db.BeginImport(B("s"), KeyType.Set);
        foreach (var m in new[] { "a", "b", "a" }) import.AddSetMember(B(m));
        import.Complete();

        Assert.Equal(2, Db.SCard(B("s")));
    }

    [Fact]
    public void ImportedList_WorksWithTheListCommands()
    {
        using (var import = Db.BeginImport(B("l"), KeyType.List))
        {
            for (int i = 0; i < 2500; i++) import.AppendListItem(Field(i));
            import.Complete();
        }

        Assert.Equal(2500, Db.LLen(B("l")));
        Assert.Equal(Field(1234), Db.LIndex(B("l"), 1234));
        Assert.Equal([Field(2498), Field(2499)], Db.LRange(B("l"), -2, -1));
        Db.LPush(B("l"), [B("head")]);
        Assert.Equal("head", S(Db.LPop(B("l"))!));
        Assert.Equal(Field(2499), Db.RPop(B("l")));
        Assert.Equal(2499, Db.LLen(B("l")));
        Assert.Equal(Field(0), Db.LRange(B("l"), 0, 0)[0]);
    }

    [Fact]
    public void Expiry_IsPreserved_AndTheKeyExpires()
    {
        long at = _f.Clock.NowMs + 10_000;
        using (var import = Db.BeginImport(B("s"), KeyType.Set, expireAtUnixMs: at))
        {
            import.AddSetMember(B("m"));
            import.Complete();
        }

        Assert.Equal(at, Db.PExpireTime(B("s")));
        _f.Clock.Advance(TimeSpan.FromSeconds(11));
        Assert.False(Db.Exists(B("s")));
        Assert.Equal(0, Db.DbSize());
    }

    [Fact]
    public void AnExpiryAlreadyPassed_CreatesNothing_AndDeletesTheReplacedKey()
    {
        Db.Set(B("k"), B("old"));
        using var import = Db.BeginImport(B("k"), KeyType.String, expireAtUnixMs: _f.Clock.NowMs - 1, replace: true);
        import.SetString(B("new"));

        Assert.False(import.Complete());
        Assert.False(Db.Exists(B("k")));
        Assert.Equal(0, Db.DbSize());
    }

    [Fact]
    public void EmptyCollection_CreatesNoKey()
    {
        using var import = Db.BeginImport(B("h"), KeyType.Hash);

        Assert.False(import.Complete());
        Assert.False(Db.Exists(B("h")));
        Assert.Equal(0, Db.DbSize());
    }

    [Fact]
    public void FlushDbDuringAnImport_MakesCompleteFail()
    {
        using var import = Db.BeginImport(B("h"), KeyType.Hash);
        for (int i = 0; i < 2000; i++) import.AddHashField(Field(i), B("v"));
        Db.FlushDb();
        import.AddHashField(B("last"), B("v"));

        Assert.Throws<KvException>(() => import.Complete());
        Assert.False(Db.Exists(B("h")));
        Assert.Equal(0, Db.DbSize());
    }

    [Fact]
    public void ElementsOfAnotherType_AreRefused()
    {
        using var import = Db.BeginImport(B("h"), KeyType.Hash);
        Assert.Throws<InvalidOperationException>(() => import.AddSetMember(B("m")));
    }

    [Fact]
    public void ImportedKey_ReplacesAHotKeyForReaders()
    {
        Db.Set(B("k"), B("cached"));
        Assert.Equal("cached", S(Db.Get(B("k"))!)); // in the hot tier

        using var import = Db.BeginImport(B("k"), KeyType.String, replace: true);
        import.SetString(B("imported"));
        import.Complete();

        Assert.Equal("imported", S(Db.Get(B("k"))!));
    }
}
