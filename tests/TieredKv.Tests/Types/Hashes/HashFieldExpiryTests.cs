using System.Text;
using TieredKv.Changes;
using TieredKv.Keyspace;
using TieredKv.Storage;

namespace TieredKv.Tests.Types.Hashes;

/// <summary>Hash field expiry in the library: replies, expiry as the manual clock moves, the active cycle, compaction, restart, key moves and events.</summary>
public sealed class HashFieldExpiryTests : IDisposable
{
    private readonly StoreFixture _fx = new();

    public void Dispose() => _fx.Dispose();

    private KvDatabase Db => _fx.Db;

    private long Now => _fx.Clock.NowMs;

    private static byte[] B(string s) => Encoding.UTF8.GetBytes(s);

    private static byte[][] Fields(params string[] names) => [.. names.Select(B)];

    private static string S(byte[]? b) => b == null ? "<null>" : Encoding.UTF8.GetString(b);

    private void Hash(string key, params string[] fieldValues) =>
        Db.HSet(B(key), [.. Enumerable.Range(0, fieldValues.Length / 2).Select(i => (B(fieldValues[2 * i]), B(fieldValues[2 * i + 1])))]);

    private long RecordsWithTag(byte tag)
    {
        long n = 0;
        using var it = _fx.Store.Engine.NewIterator(ReadOptions.ForPrefix(KeyCodec.DatabasePrefix(tag, 0)));
        for (it.SeekToFirst(); it.Valid; it.Next()) n++;
        return n;
    }

    /// <summary>One pass of the active cycle (the fixture runs none in the background).</summary>
    private int RunActiveCycle()
    {
        using var cycle = new ActiveExpiryCycle(_fx.Store, TimeSpan.FromHours(1));
        return cycle.RunOnce();
    }

    [Fact]
    public void HExpire_ReportsEachFieldsOutcome()
    {
        Hash("h", "a", "1", "b", "2");
        Assert.Equal([1, -2, 1], Db.HExpireAt(B("h"), Now + 10_000, ExpireCondition.Always, Fields("a", "nope", "b")));
        Assert.Equal([0], Db.HExpireAt(B("h"), Now + 20_000, ExpireCondition.Nx, Fields("a")));
        Assert.Equal([2], Db.HExpireAt(B("h"), Now - 1, ExpireCondition.Always, Fields("b")));
        Assert.Null(Db.HGet(B("h"), B("b")));
        Assert.Equal(1, Db.HLen(B("h")));
    }

    [Fact]
    public void HExpire_OnMissingKey_IsNoSuchFieldForEveryField()
    {
        Assert.Equal([-2, -2], Db.HExpireAt(B("none"), Now + 1000, ExpireCondition.Always, Fields("a", "b")));
        Assert.False(Db.Exists(B("none")));
    }

    [Fact]
    public void HExpire_Conditions_TreatNoExpiryAsNeverExpiring()
    {
        Hash("h", "a", "1", "b", "2");
        Assert.Equal([0], Db.HExpireAt(B("h"), Now + 5000, ExpireCondition.Xx, Fields("a")));
        Assert.Equal([0], Db.HExpireAt(B("h"), Now + 5000, ExpireCondition.Gt, Fields("a")));
        Assert.Equal([1], Db.HExpireAt(B("h"), Now + 5000, ExpireCondition.Lt, Fields("a")));
        Assert.Equal([0], Db.HExpireAt(B("h"), Now + 9000, ExpireCondition.Lt, Fields("a")));
        Assert.Equal([1], Db.HExpireAt(B("h"), Now + 9000, ExpireCondition.Gt, Fields("a")));
        Assert.Equal([1], Db.HExpireAt(B("h"), Now + 7000, ExpireCondition.Xx, Fields("a")));
        Assert.Equal([Now + 7000, -1], Db.HFieldExpiry(B("h"), Fields("a", "b"), remaining: false));
    }

    [Fact]
    public void Field_DisappearsFromEveryReadOnceItsTimePasses()
    {
        Hash("h", "a", "1", "b", "2", "c", "3");
        Db.HExpireAt(B("h"), Now + 1000, ExpireCondition.Always, Fields("b"));
        _fx.Clock.Advance(TimeSpan.FromMilliseconds(999));
        Assert.Equal("2", S(Db.HGet(B("h"), B("b"))));
        _fx.Clock.Advance(TimeSpan.FromMilliseconds(1));
        Assert.Null(Db.HGet(B("h"), B("b")));
        Assert.False(Db.HExists(B("h"), B("b")));
        Assert.Equal(2, Db.HLen(B("h")));
        Assert.Equal(["a", "c"], Db.HKeys(B("h")).Select(S));
        Assert.Equal(["a", "c"], Db.HScan(B("h"), 0).Entries.Select(e => S(e.Field)));
        Assert.Equal(2, Db.HRandField(B("h"), 10).Count);
        Assert.Equal([-2], Db.HFieldExpiry(B("h"), Fields("b"), remaining: true));
    }

    [Fact]
    public void HLen_IsExactBeforeAnyFieldIsRead()
    {
        Hash("h", "a", "1", "b", "2", "c", "3");
        Db.HExpireAt(B("h"), Now + 100, ExpireCondition.Always, Fields("a", "b"));
        _fx.Clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(1, Db.HLen(B("h")));
    }

    [Fact]
    public void LastFieldExpiring_RemovesTheKey()
    {
        Hash("h", "a", "1");
        Db.HExpireAt(B("h"), Now + 100, ExpireCondition.Always, Fields("a"));
        _fx.Clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(0, Db.HLen(B("h")));
        Assert.False(Db.Exists(B("h")));
        Assert.Equal(0, Db.DbSize());
    }

    [Fact]
    public void ActiveCycle_RemovesDueFieldsAndEmptiedHashes_WithoutReads()
    {
        Hash("partly", "a", "1", "b", "2");
        Hash("wholly", "x", "1");
        Db.HExpireAt(B("partly"), Now + 100, ExpireCondition.Always, Fields("a"));
        Db.HExpireAt(B("wholly"), Now + 100, ExpireCondition.Always, Fields("x"));
        Assert.Equal(0, RunActiveCycle()); // nothing due yet
        _fx.Clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(2, RunActiveCycle());
        Assert.False(Db.Exists(B("wholly")));
        Assert.Equal(1, Db.DbSize());
        Assert.Equal(0, RecordsWithTag(KeyCodec.FieldTtlTag));
        Assert.Equal(0, RecordsWithTag(KeyCodec.FieldExpiryTag));
        Assert.Equal(0, RecordsWithTag(KeyCodec.HashExpiryTag)); // no field expiry left anywhere
    }

    [Fact]
    public void ActiveCycle_LeavesFieldsNotYetDue_AndComesBackForThem()
    {
        Hash("h", "a", "1", "b", "2", "c", "3");
        Db.HExpireAt(B("h"), Now + 100, ExpireCondition.Always, Fields("a"));
        Db.HExpireAt(B("h"), Now + 5000, ExpireCondition.Always, Fields("b"));
        _fx.Clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(1, RunActiveCycle());
        Assert.Equal(1, RecordsWithTag(KeyCodec.HashExpiryTag));
        _fx.Clock.Advance(TimeSpan.FromSeconds(5));
        Assert.Equal(1, RunActiveCycle());
        Assert.Equal(["c"], Db.HKeys(B("h")).Select(S));
    }

    [Fact]
    public void HSet_DiscardsTheFieldsExpiry_HIncrByKeepsIt()
    {
        Hash("h", "a", "1", "n", "5");
        Db.HExpireAt(B("h"), Now + 1000, ExpireCondition.Always, Fields("a", "n"));
        Hash("h", "a", "2");
        Assert.Equal(6, Db.HIncrBy(B("h"), B("n"), 1));
        Assert.Equal([-1, Now + 1000], Db.HFieldExpiry(B("h"), Fields("a", "n"), remaining: false));
        _fx.Clock.Advance(TimeSpan.FromSeconds(2));
        Assert.Equal(["a"], Db.HKeys(B("h")).Select(S));
    }

    [Fact]
    public void WritingAnExpiredField_CountsItAsNew()
    {
        Hash("h", "a", "1", "b", "2");
        Db.HExpireAt(B("h"), Now + 100, ExpireCondition.Always, Fields("a", "b"));
        _fx.Clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(1, Db.HSet(B("h"), [(B("a"), B("x"))]));
        Assert.True(Db.HSetNx(B("h"), B("b"), B("y")));
        Assert.Equal(2, Db.HLen(B("h")));
        Assert.Equal([-1, -1], Db.HFieldExpiry(B("h"), Fields("a", "b"), remaining: false));
    }

    [Fact]
    public void Compaction_KeepsTheExpiriesOfLiveFields()
    {
        Hash("h", "a", "1");
        Db.HExpireAt(B("h"), Now + 100_000, ExpireCondition.Always, Fields("a"));
        _fx.CompactAndCountElementRecords();
        Assert.Equal([Now + 100_000], Db.HFieldExpiry(B("h"), Fields("a"), remaining: false));
        Assert.Equal(1, RecordsWithTag(KeyCodec.FieldExpiryTag));
    }

    [Fact]
    public void HDel_RemovesTheFieldsExpiryRecords()
    {
        Hash("h", "a", "1", "b", "2");
        Db.HExpireAt(B("h"), Now + 1000, ExpireCondition.Always, Fields("a"));
        Assert.Equal(1, Db.HDel(B("h"), Fields("a")));
        Hash("h", "a", "again");
        _fx.Clock.Advance(TimeSpan.FromSeconds(2));
        Assert.Equal("again", S(Db.HGet(B("h"), B("a"))));
        Assert.Equal(0, RecordsWithTag(KeyCodec.FieldTtlTag));
    }

    [Fact]
    public void HPersist_ReportsAndRemovesExpiries()
    {
        Hash("h", "a", "1", "b", "2");
        Db.HExpireAt(B("h"), Now + 1000, ExpireCondition.Always, Fields("a"));
        Assert.Equal([1, -1, -2], Db.HPersist(B("h"), Fields("a", "b", "c")));
        Assert.Equal([-1], Db.HPersist(B("h"), Fields("a")));
        _fx.Clock.Advance(TimeSpan.FromSeconds(2));
        Assert.Equal(2, Db.HLen(B("h")));
        RunActiveCycle();
        Assert.Equal(0, RecordsWithTag(KeyCodec.HashExpiryTag)); // the stale floor was cleared
    }

    [Fact]
    public void HFieldExpiry_RemainingTimeCountsDown()
    {
        Hash("h", "a", "1");
        Db.HExpireAt(B("h"), Now + 1500, ExpireCondition.Always, Fields("a"));
        _fx.Clock.Advance(TimeSpan.FromMilliseconds(500));
        Assert.Equal([1000], Db.HFieldExpiry(B("h"), Fields("a"), remaining: true));
    }

    [Fact]
    public void Restart_KeepsFieldExpiries()
    {
        Hash("h", "a", "1", "b", "2");
        Db.HExpireAt(B("h"), Now + 1000, ExpireCondition.Always, Fields("a"));
        _fx.Reopen();
        Assert.Equal([Now + 1000, -1], Db.HFieldExpiry(B("h"), Fields("a", "b"), remaining: false));
        _fx.Clock.Advance(TimeSpan.FromSeconds(2));
        Assert.Equal(1, RunActiveCycle());
        Assert.Equal(1, Db.HLen(B("h")));
    }

    [Fact]
    public void Compaction_DropsExpiredFieldsAndTheExpiryRecordsOfDeletedHashes()
    {
        Hash("expiring", "a", "1", "b", "2");
        Hash("deleted", "x", "1");
        Db.HExpireAt(B("expiring"), Now + 100, ExpireCondition.Always, Fields("a"));
        Db.HExpireAt(B("deleted"), Now + 100_000, ExpireCondition.Always, Fields("x"));
        Db.Delete(B("deleted"));
        _fx.Clock.Advance(TimeSpan.FromSeconds(1));
        RunActiveCycle();
        Assert.Equal(1, _fx.CompactAndCountElementRecords()); // only expiring.b
        Assert.Equal(0, RecordsWithTag(KeyCodec.FieldTtlTag));
        Assert.Equal(0, RecordsWithTag(KeyCodec.FieldExpiryTag));
    }

    [Fact]
    public void RenameCopyAndMove_KeepFieldExpiries()
    {
        Hash("h", "a", "1", "b", "2");
        Db.HExpireAt(B("h"), Now + 1000, ExpireCondition.Always, Fields("a"));
        Assert.True(Db.Rename(B("h"), B("renamed")));
        Assert.True(Db.Copy(B("renamed"), B("copied")));
        Assert.True(Db.Copy(B("renamed"), B("other"), _fx.Store[1]));
        Assert.True(Db.Move(B("copied"), _fx.Store[2]));
        Assert.Equal([Now + 1000], Db.HFieldExpiry(B("renamed"), Fields("a"), remaining: false));
        Assert.Equal([Now + 1000], _fx.Store[1].HFieldExpiry(B("other"), Fields("a"), remaining: false));
        Assert.Equal([Now + 1000], _fx.Store[2].HFieldExpiry(B("copied"), Fields("a"), remaining: false));
        _fx.Clock.Advance(TimeSpan.FromSeconds(2));
        Assert.Equal(3, RunActiveCycle());
        Assert.Equal(["b"], _fx.Store[2].HKeys(B("copied")).Select(S));
        Assert.Equal(["b"], _fx.Store[1].HKeys(B("other")).Select(S));
    }

    [Fact]
    public void ExpiringFields_ReportHExpiredOnce_ThenDelForTheLastField()
    {
        Hash("h", "a", "1", "b", "2");
        Db.HExpireAt(B("h"), Now + 100, ExpireCondition.Always, Fields("a", "b"));
        var events = new List<string>();
        using var _ = _fx.Store.Changes.Subscribe(c => { lock (events) events.Add($"{c.Event}:{c.Class}"); });
        _fx.Clock.Advance(TimeSpan.FromSeconds(1));
        Db.HMGet(B("h"), Fields("a", "b"));
        Assert.Equal(["hexpired:Hash", "del:Generic"], events);
    }

    [Fact]
    public void HGetDel_ReturnsValuesAndRemovesFields_KeyGoesWithTheLast()
    {
        Hash("h", "a", "1", "b", "2");
        Assert.Equal(["1", "<null>"], Db.HGetDel(B("h"), Fields("a", "zz")).Select(S));
        Assert.Equal(["2", "<null>"], Db.HGetDel(B("h"), Fields("b", "b")).Select(S));
        Assert.False(Db.Exists(B("h")));
    }

    [Fact]
    public void HGetEx_SetsPersistsOrDeletes()
    {
        Hash("h", "a", "1", "b", "2");
        Assert.Equal(["1"], Db.HGetEx(B("h"), Fields("a"), HashFieldTtlAction.ExpireAt, Now + 1000).Select(S));
        Assert.Equal([Now + 1000], Db.HFieldExpiry(B("h"), Fields("a"), remaining: false));
        Assert.Equal(["1"], Db.HGetEx(B("h"), Fields("a"), HashFieldTtlAction.Persist).Select(S));
        Assert.Equal([-1], Db.HFieldExpiry(B("h"), Fields("a"), remaining: false));
        Assert.Equal(["2", "<null>"], Db.HGetEx(B("h"), Fields("b", "c"), HashFieldTtlAction.ExpireAt, Now).Select(S));
        Assert.Equal(1, Db.HLen(B("h")));
    }

    [Fact]
    public void HSetEx_FnxAndFxx_SetAllOrNothing()
    {
        Assert.False(Db.HSetEx(B("h"), [(B("a"), B("1"))], HashFieldSetCondition.AllExist));
        Assert.False(Db.Exists(B("h")));
        Assert.True(Db.HSetEx(B("h"), [(B("a"), B("1"))], HashFieldSetCondition.NoneExist, HashFieldTtlAction.ExpireAt, Now + 1000));
        Assert.False(Db.HSetEx(B("h"), [(B("a"), B("2")), (B("b"), B("2"))], HashFieldSetCondition.NoneExist));
        Assert.False(Db.HSetEx(B("h"), [(B("a"), B("2")), (B("b"), B("2"))], HashFieldSetCondition.AllExist));
        Assert.Equal(1, Db.HLen(B("h")));
        Assert.True(Db.HSetEx(B("h"), [(B("a"), B("3"))], HashFieldSetCondition.AllExist, HashFieldTtlAction.KeepTtl));
        Assert.Equal([Now + 1000], Db.HFieldExpiry(B("h"), Fields("a"), remaining: false));
        Assert.True(Db.HSetEx(B("h"), [(B("a"), B("4"))]));
        Assert.Equal([-1], Db.HFieldExpiry(B("h"), Fields("a"), remaining: false));
    }

    [Fact]
    public void Export_LeavesOutFieldsExpiredButNotYetRemoved()
    {
        Hash("partly", "a", "1", "b", "2");
        Hash("wholly", "x", "1");
        Db.HExpireAt(B("partly"), Now + 100, ExpireCondition.Always, Fields("a"));
        Db.HExpireAt(B("wholly"), Now + 100, ExpireCondition.Always, Fields("x"));
        _fx.Clock.Advance(TimeSpan.FromSeconds(1));
        using var snapshot = _fx.Store.OpenSnapshot();
        var keys = snapshot.Keys(0).ToList();
        var partly = Assert.Single(keys);
        Assert.Equal("partly", S(partly.Key));
        Assert.Equal(1, partly.Count);
        Assert.Equal(["b"], partly.HashFields().Select(f => S(f.Key)));
    }

    [Fact]
    public void Dump_ReadsTheHashWithoutItsExpiredFields()
    {
        Hash("h", "a", "1", "b", "2");
        Db.HExpireAt(B("h"), Now + 100, ExpireCondition.Always, Fields("a"));
        _fx.Clock.Advance(TimeSpan.FromSeconds(1));
        var key = Db.ReadKey(B("h"));
        Assert.Equal(1, key!.Count);
        Assert.Equal(["b"], key.HashFields().Select(f => S(f.Key)));
    }

    [Fact]
    public void HashesWithoutFieldExpiries_KeepTheShortMetadataRecord()
    {
        Hash("h", "a", "1");
        var raw = _fx.Store.Engine.Get(KeyCodec.Metadata(0, B("h")));
        Assert.Equal(26, raw!.Length);
        Db.HExpireAt(B("h"), Now + 1000, ExpireCondition.Always, Fields("a"));
        Assert.Equal(34, _fx.Store.Engine.Get(KeyCodec.Metadata(0, B("h")))!.Length);
    }
}
