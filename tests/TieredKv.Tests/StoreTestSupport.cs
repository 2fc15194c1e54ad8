namespace TieredKv.Tests;

/// <summary>A clock that moves only when told: expiry tests without sleeping.</summary>
public sealed class ManualClock(DateTimeOffset start) : TimeProvider
{
    private DateTimeOffset _now = start;

    public ManualClock() : this(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero)) { }

    public override DateTimeOffset GetUtcNow() => _now;

    public void Advance(TimeSpan by) => _now += by;

    public long NowMs => _now.ToUnixTimeMilliseconds();
}

/// <summary>A store in a temp directory, reopenable, with a manual clock and no background expiry.</summary>
public sealed class StoreFixture : IDisposable
{
    private readonly TempDirectory _dir = new("tkv-store-");
    private readonly Func<TieredKvOptions, TieredKvOptions>? _customize;

    public StoreFixture(Func<TieredKvOptions, TieredKvOptions>? customize = null)
    {
        _customize = customize;
        Store = Open();
    }

    public ManualClock Clock { get; } = new();
    public TieredKvStore Store { get; private set; }
    public KvDatabase Db => Store[0];
    public string Directory => _dir.Path;

    private TieredKvStore Open()
    {
        var options = new TieredKvOptions
        {
            Clock = Clock,
            ActiveExpiryInterval = TimeSpan.Zero,
            AppendFsync = AppendFsync.No,
            Engine = new StorageOptions { WriteBufferSize = 256 * 1024, TargetFileSize = 128 * 1024, MaxBytesForLevelBase = 512 * 1024 },
        };
        return TieredKvStore.Open(_dir.Path, _customize?.Invoke(options) ?? options);
    }

    /// <summary>Compacts everything and counts the element records left in database 0 (only live elements should remain).</summary>
    public long CompactAndCountElementRecords()
    {
        Store.Engine.CompactRange();
        long records = 0;
        using var it = Store.Engine.NewIterator(Storage.ReadOptions.ForPrefix(TieredKv.Keyspace.KeyCodec.DatabasePrefix(TieredKv.Keyspace.KeyCodec.SubKeyTag, 0)));
        for (it.SeekToFirst(); it.Valid; it.Next()) records++;
        return records;
    }

    /// <summary>Closes and reopens the store on the same directory.</summary>
    public void Reopen()
    {
        Store.Dispose();
        Store = Open();
    }

    public void Dispose()
    {
        Store.Dispose();
        _dir.Dispose();
    }
}
