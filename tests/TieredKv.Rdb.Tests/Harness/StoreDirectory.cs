namespace TieredKv.Rdb.Tests.Harness;

/// <summary>A store in a fresh temp directory, deleted on dispose.</summary>
public sealed class StoreDirectory : IDisposable
{
    private readonly TempDirectory _directory = new("rdb-store-");

    public StoreDirectory(int databases = 16)
    {
        Store = TieredKvStore.Open(Path, new TieredKvOptions { Databases = databases, AppendFsync = AppendFsync.No });
    }

    public string Path => _directory.Path;
    public TieredKvStore Store { get; }

    /// <summary>Every key of the store as a dataset, read through a snapshot.</summary>
    public Dataset Read()
    {
        var d = new Dataset();
        using var snap = Store.OpenSnapshot();
        for (int db = 0; db < snap.DatabaseCount; db++)
            foreach (var k in snap.Keys(db))
                d.Add(db, KeyModel.S(k.Key), KeyModel.FromSnapshot(k));
        return d;
    }

    public void Dispose()
    {
        Store.Dispose();
        _directory.Dispose();
    }
}
