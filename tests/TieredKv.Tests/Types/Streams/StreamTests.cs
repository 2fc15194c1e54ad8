using System.Text;
using TieredKv.Keyspace;

namespace TieredKv.Tests.Types.Streams;

/// <summary>The stream encoding over the LSM: entries, state and consumer groups across flush, compaction, restart, COPY/MOVE/DEL and export/import.</summary>
public sealed class StreamTests : IDisposable
{
    private readonly StoreFixture _fx = new();

    public void Dispose() => _fx.Dispose();

    private static byte[] B(string s) => Encoding.UTF8.GetBytes(s);

    private static readonly byte[] Key = B("s");
    private static readonly byte[] Group = B("g");

    private static byte[][] Fields(int i) => [B("f"), B($"v{i}")];

    private static void Fill(KvDatabase db, byte[] key, int count, ulong firstMs = 1)
    {
        for (int i = 0; i < count; i++) db.XAdd(key, new StreamId(firstMs + (ulong)i, 0), seqGiven: true, Fields(i));
    }

    /// <summary>Everything observable about a stream, as text: entries, state, groups, consumers and PELs (times included: the clock is manual).</summary>
    private static string Describe(KvDatabase db, byte[] key)
    {
        var text = new StringBuilder();
        var info = db.XInfoStreamFull(key, 0);
        var st = info.State;
        // The tail-node model is left out: an import lays nodes out afresh, as Redis's own does not keep them either.
        text.Append($"len={info.Length} last={st.LastId} first={st.FirstId} maxdel={st.MaxDeletedId} added={st.EntriesAdded} groups={st.GroupCount}\n");
        foreach (var e in info.Entries) text.Append(e.Id).Append(':').Append(string.Join(",", e.FieldsAndValues.Select(Encoding.UTF8.GetString))).Append('\n');
        foreach (var g in info.Groups)
        {
            text.Append($"group {Encoding.UTF8.GetString(g.Group.Name)} {g.Group with { Name = [] }} lag={g.Lag}\n");
            foreach (var p in g.Pending) text.Append($"  pel {p.Id} {Encoding.UTF8.GetString(p.Consumer)} {p.DeliveryTimeMs} {p.DeliveryCount}\n");
            foreach (var (c, owned) in g.Consumers)
                text.Append($"  consumer {Encoding.UTF8.GetString(c.Name)} {c.SeenTimeMs} {c.PendingCount} [{string.Join(",", owned.Select(p => p.Id))}]\n");
        }
        return text.ToString();
    }

    private void BuildStreamWithGroups(KvDatabase db)
    {
        Fill(db, Key, 250);
        db.XDel(Key, [new StreamId(3, 0), new StreamId(120, 0)]);
        db.XTrim(Key, new StreamTrimOptions(StreamTrimStrategy.MaxLen, 240, default, Approximate: false, Limit: 0));
        db.XGroupCreate(Key, Group, _ => StreamId.Min, mkStream: false, StreamGroup.UnknownEntriesRead);
        db.XGroupCreate(Key, B("other"), last => last, mkStream: false, 5);
        db.XReadGroup(Key, Group, B("alice"), after: null, count: 10, noAck: false);
        _fx.Clock.Advance(TimeSpan.FromSeconds(3));
        db.XReadGroup(Key, Group, B("bob"), after: null, count: 5, noAck: false);
        db.XClaim(Key, Group, B("carol"), now => new StreamClaimRequest(0, [new StreamId(12, 0), new StreamId(13, 0)], -1, -1, false, false, default));
        db.XAck(Key, Group, () => [new StreamId(14, 0)]);
    }

    [Fact]
    public void EntriesStateAndGroups_SurviveFlushAndRestart()
    {
        BuildStreamWithGroups(_fx.Db);
        string before = Describe(_fx.Db, Key);
        _fx.Store.Engine.Flush();
        Assert.Equal(before, Describe(_fx.Db, Key));
        _fx.Reopen();
        Assert.Equal(before, Describe(_fx.Db, Key));
        Assert.Equal(KeyType.Stream, _fx.Db.Type(Key));
    }

    [Fact]
    public void ApproximateTrim_RemovesWholeNodesOfAHundredEntries_AcrossRestart()
    {
        Fill(_fx.Db, Key, 250);
        _fx.Reopen();
        long removed = _fx.Db.XTrim(Key, new StreamTrimOptions(StreamTrimStrategy.MaxLen, 140, default, Approximate: true, Limit: 10_000));
        Assert.Equal(100, removed);
        Assert.Equal(150, _fx.Db.XLen(Key));
        Assert.Equal(new StreamId(101, 0), _fx.Db.XRange(Key, StreamId.Min, StreamId.Max, 1)![0].Id);
    }

    [Fact]
    public void Compaction_DropsEntriesAndGroupRecordsOfADeletedStream()
    {
        BuildStreamWithGroups(_fx.Db);
        Fill(_fx.Db, B("kept"), 3);
        _fx.Db.Delete(Key);
        _fx.Store.Engine.CompactRange();
        Assert.Equal(0, CountRecords(KeyCodec.StreamGroupTag));
        Assert.Equal(3, CountRecords(KeyCodec.SubKeyTag));
    }

    private long CountRecords(byte tag)
    {
        long records = 0;
        using var it = _fx.Store.Engine.NewIterator(Storage.ReadOptions.ForPrefix(KeyCodec.DatabasePrefix(tag, 0)));
        for (it.SeekToFirst(); it.Valid; it.Next()) records++;
        return records;
    }

    [Fact]
    public void GroupDestroy_RemovesItsConsumersAndPendingEntries()
    {
        BuildStreamWithGroups(_fx.Db);
        Assert.True(_fx.Db.XGroupDestroy(Key, Group));
        _fx.Store.Engine.CompactRange();
        Assert.Equal(1, CountRecords(KeyCodec.StreamGroupTag)); // the other group, which has no consumers
        Assert.Single(_fx.Db.XInfoGroups(Key));
    }

    [Fact]
    public void CopyAndMove_CarryEntriesAndGroups_AndTheCopyIsIndependent()
    {
        BuildStreamWithGroups(_fx.Db);
        string original = Describe(_fx.Db, Key);
        Assert.True(_fx.Db.Copy(Key, B("copy")));
        Assert.Equal(original, Describe(_fx.Db, B("copy")));
        _fx.Db.XAck(B("copy"), Group, () => [new StreamId(1, 0)]);
        _fx.Db.XAdd(B("copy"), null, true, Fields(0));
        Assert.Equal(original, Describe(_fx.Db, Key));
        Assert.True(_fx.Db.Move(Key, _fx.Store[1]));
        Assert.Equal(original, Describe(_fx.Store[1], Key));
        _fx.Store.Engine.CompactRange();
        Assert.Equal(original, Describe(_fx.Store[1], Key));
    }

    [Fact]
    public void ExportedStream_ImportsIntoAnotherStoreUnchanged()
    {
        BuildStreamWithGroups(_fx.Db);
        using var target = new StoreFixture();
        target.Clock.Advance(_fx.Clock.GetUtcNow() - target.Clock.GetUtcNow());
        using (var snapshot = _fx.Store.OpenSnapshot())
        {
            var key = snapshot.ReadKey(0, Key)!;
            var contents = key.StreamContents();
            Assert.True(target.Db.ImportStream(Key, contents));
        }
        Assert.Equal(Describe(_fx.Db, Key), Describe(target.Db, Key));
        var dumped = _fx.Db.ReadKey(Key)!.StreamContents();
        Assert.True(target.Db.ImportStream(B("again"), dumped));
        Assert.Equal(Describe(_fx.Db, Key), Describe(target.Db, B("again")));
    }

    [Fact]
    public void StreamImport_RefusesAPendingEntryWithoutAConsumer()
    {
        using var import = _fx.Db.BeginStreamImport(Key);
        import.AddEntry(new StreamId(1, 0), Fields(1));
        import.AddGroup(Group, new StreamId(1, 0), 1);
        import.AddPending(Group, new StreamId(1, 0), 5, 1);
        Assert.Throws<KvException>(() => import.Complete());
        Assert.Equal(KeyType.None, _fx.Db.Type(Key));
    }

    [Fact]
    public void RandomOperations_MatchAModel_AcrossFlushCompactionAndRestart()
    {
        var rng = new Random(15);
        var model = new SortedDictionary<StreamId, string>();
        ulong ms = 1;
        for (int step = 0; step < 1500; step++)
        {
            int op = rng.Next(100);
            if (op < 70)
            {
                ms += (ulong)rng.Next(0, 3);
                var id = _fx.Db.XAdd(Key, new StreamId(ms, 0), seqGiven: false, [B("k"), B($"{step}")])!.Value;
                model[id] = $"{step}";
            }
            else if (op < 85 && model.Count > 0)
            {
                var victim = model.Keys.ElementAt(rng.Next(model.Count));
                Assert.Equal(1, _fx.Db.XDel(Key, [victim]));
                model.Remove(victim);
            }
            else if (op < 92)
            {
                long maxLen = rng.Next(0, 400);
                long removed = _fx.Db.XTrim(Key, new StreamTrimOptions(StreamTrimStrategy.MaxLen, maxLen, default, false, 0));
                Assert.Equal(Math.Max(0, model.Count - maxLen), removed);
                while (model.Count > maxLen) model.Remove(model.Keys.First());
            }
            else if (op < 95) _fx.Store.Engine.Flush();
            else if (op < 97) _fx.Store.Engine.CompactRange();
            else if (op < 98) _fx.Reopen();
            else
            {
                var all = _fx.Db.XRange(Key, StreamId.Min, StreamId.Max) ?? [];
                Assert.Equal(model.Select(p => $"{p.Key}={p.Value}"), all.Select(e => $"{e.Id}={Encoding.UTF8.GetString(e.FieldsAndValues[1])}"));
                Assert.Equal(model.Count, _fx.Db.XLen(Key));
            }
        }
        var final = _fx.Db.XRange(Key, StreamId.Min, StreamId.Max, reverse: true) ?? [];
        Assert.Equal(model.Reverse().Select(p => p.Key), final.Select(e => e.Id));
    }
}
