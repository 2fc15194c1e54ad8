using TieredKv.Keyspace;
using TieredKv.Rdb.Format;
using TieredKv.Rdb.Tests.Harness;

namespace TieredKv.Rdb.Tests;

/// <summary>RDB export/import and DUMP/RESTORE against a real <see cref="TieredKvStore"/>.</summary>
public sealed class KeyspaceGlueTests
{
    private static byte[] Rdb(Dataset d)
    {
        var ms = new MemoryStream();
        d.WriteRdb(ms);
        return ms.ToArray();
    }

    [Fact]
    public void Import_then_export_round_trips_every_type_with_expiries_and_databases()
    {
        var data = Dataset.Everything(seed: 9, scale: 2);
        using var store = new StoreDirectory();
        var imported = RdbImporter.Import(new MemoryStream(Rdb(data)), store.Store);
        Assert.Equal(data.Keys.Count, imported.Imported);
        Assert.Empty(imported.Skipped);
        Dataset.AssertSame(data, store.Read());

        var exported = new MemoryStream();
        var result = RdbExporter.Export(store.Store, exported);
        Assert.Equal(data.Keys.Count, result.Keys);
        Assert.Equal(exported.Length, result.Bytes);
        var reader = new RdbReader(new MemoryStream(exported.ToArray()));
        Dataset.AssertSame(data, Dataset.Read(reader));
        Assert.True(reader.ChecksumVerified);
    }

    [Fact]
    public void Import_counts_keys_per_type()
    {
        var data = Dataset.Everything();
        using var store = new StoreDirectory();
        var result = RdbImporter.Import(new MemoryStream(Rdb(data)), store.Store);
        foreach (var type in new[] { KeyType.String, KeyType.Hash, KeyType.Set, KeyType.List, KeyType.SortedSet })
            Assert.Equal(data.Keys.Values.Count(v => v.Type == type), result.ImportedPerType[type]);
    }

    [Fact]
    public void Export_reports_growing_byte_counts_ending_at_the_file_size()
    {
        var data = new Dataset();
        for (int i = 0; i < 2500; i++) data.Add(0, "k" + i, Dataset.Str("value " + i));
        using var store = new StoreDirectory();
        RdbImporter.Import(new MemoryStream(Rdb(data)), store.Store);
        var reports = new List<long>();
        var output = new MemoryStream();
        RdbExporter.Export(store.Store, output, new SynchronousProgress(reports.Add));
        Assert.Equal(3, reports.Count); // at 1000, 2000 keys and at the end
        Assert.True(reports[0] < reports[1] && reports[1] < reports[2]);
        Assert.Equal(output.Length, reports[^1]);
    }

    [Fact]
    public void Keys_of_databases_the_store_lacks_and_expired_keys_are_skipped_with_reasons()
    {
        var data = new Dataset();
        data.Add(0, "kept", Dataset.Str("v"));
        data.Add(0, "expired", Dataset.Str("v", expireAt: 1000));
        data.Add(7, "far", Dataset.Str("v"));
        using var store = new StoreDirectory(databases: 4);
        var result = RdbImporter.Import(new MemoryStream(Rdb(data)), store.Store);
        Assert.Equal(1, result.Imported);
        Assert.Contains(result.Skipped, s => KeyModel.S(s.Key) == "far" && s.Reason.Contains("database 7"));
        Assert.Contains(result.Skipped, s => KeyModel.S(s.Key) == "expired" && s.Reason.Contains("expired"));
        Assert.Equal(["kept"], store.Read().Keys.Keys.Select(k => k.Key));
    }

    [Fact]
    public void Without_replace_existing_keys_are_kept_and_reported()
    {
        var data = new Dataset();
        data.Add(0, "a", Dataset.Str("from file"));
        data.Add(0, "b", Dataset.Str("from file"));
        using var store = new StoreDirectory();
        store.Store[0].Set("a"u8.ToArray(), "mine"u8.ToArray());
        var result = RdbImporter.Import(new MemoryStream(Rdb(data)), store.Store, new RdbImportOptions { Replace = false });
        Assert.Equal(1, result.Imported);
        Assert.Equal("mine", KeyModel.S(store.Store[0].Get("a"u8)!));
        Assert.Equal("from file", KeyModel.S(store.Store[0].Get("b"u8)!));
    }

    [Fact]
    public void Damaged_file_is_refused_before_any_key_is_written()
    {
        byte[] file = Rdb(Dataset.Everything());
        file[^3] ^= 0x10; // inside the checksum: only the end of the file tells
        using var store = new StoreDirectory();
        Assert.Throws<RdbFormatException>(() => RdbImporter.Import(new MemoryStream(file), store.Store));
        Assert.Empty(store.Read().Keys);
    }

    [Fact]
    public void Dump_then_restore_copies_every_type()
    {
        var data = Dataset.Everything(seed: 5);
        using var store = new StoreDirectory();
        RdbImporter.Import(new MemoryStream(Rdb(data)), store.Store);
        foreach (var ((db, key), m) in data.Keys)
        {
            byte[] payload = KeyspaceDump.Dump(store.Store[db], KeyModel.B(key))!;
            Assert.True(KeyspaceDump.Restore(store.Store[9], KeyModel.B(key), payload, m.ExpireAtUnixMs, replace: true));
            var copy = KeyModel.FromSnapshot(store.Store[9].ReadKey(KeyModel.B(key))!);
            Assert.Equal(m.Describe(), copy.Describe());
            store.Store[9].Delete(KeyModel.B(key));
        }
    }

    [Fact]
    public void Dump_of_a_missing_key_is_null()
    {
        using var store = new StoreDirectory();
        Assert.Null(KeyspaceDump.Dump(store.Store[0], "nope"u8));
    }

    [Fact]
    public void Restore_onto_an_existing_key_without_replace_is_busykey_before_the_payload_is_checked()
    {
        using var store = new StoreDirectory();
        store.Store[0].Set("k"u8.ToArray(), "v"u8.ToArray());
        var e = Assert.Throws<KvException>(() => KeyspaceDump.Restore(store.Store[0], "k"u8, [1, 2, 3], null, replace: false));
        Assert.Equal("BUSYKEY Target key name already exists.", e.Message);
    }

    [Fact]
    public void Restore_of_a_damaged_payload_leaves_no_key()
    {
        using var store = new StoreDirectory();
        byte[] payload = DumpPayload.EncodeSet(2, ["a"u8.ToArray(), "b"u8.ToArray()]);
        payload[4] ^= 2;
        var e = Assert.Throws<DumpPayloadException>(() => KeyspaceDump.Restore(store.Store[0], "k"u8, payload, null, replace: true));
        Assert.Equal(DumpPayloadException.VersionOrChecksum, e.Message);
        Assert.False(store.Store[0].Exists("k"u8));
    }

    [SkippableFact]
    public void Redis_dump_rdb_imports_into_the_store_as_redis_held_it()
    {
        Skip.IfNot(RedisServer.Installed, RedisServer.SkipMessage);
        var data = Dataset.Everything(seed: 11);
        using var redis = new RedisServer();
        using (var c = new ValueClient(redis.Port))
        {
            data.FillServer(c);
            Assert.Equal("OK", c.Call("SAVE"));
        }
        using var store = new StoreDirectory();
        using (var f = File.OpenRead(redis.RdbPath))
            Assert.Equal(data.Keys.Count, RdbImporter.Import(f, store.Store).Imported);
        Dataset.AssertSame(data, store.Read());
    }

    private sealed class SynchronousProgress(Action<long> report) : IProgress<long>
    {
        public void Report(long value) => report(value);
    }
}
