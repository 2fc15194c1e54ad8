using System.Text;
using TieredKv.Storage;
using TieredKv.Storage.Format;

namespace TieredKv.Tests;

/// <summary>The library's own engine options reach the engine unchanged, and default to what the engine would pick.</summary>
public sealed class StorageOptionsTests
{
    [Fact]
    public void Defaults_AreTheEngineDefaults()
    {
        var library = new StorageOptions();
        var engine = new DbOptions();
        Assert.Equal(engine.WriteBufferSize, library.WriteBufferSize);
        Assert.Equal(engine.BlockCacheBytes, library.BlockCacheBytes);
        Assert.Equal(engine.MaxBytesForLevelBase, library.MaxBytesForLevelBase);
        Assert.Equal(engine.TargetFileSize, library.TargetFileSize);
        Assert.Equal(WalRecoveryMode.Strict, engine.WalRecovery);
        Assert.Equal(RecoveryMode.Strict, library.Recovery);
        Assert.Equal(WalSyncPolicy.EverySec, engine.WalSync);
        Assert.Equal(AppendFsync.EverySec, new TieredKvOptions().AppendFsync);
    }

    [Fact]
    public void Open_AppliesTheEngineSizes()
    {
        using var f = new StoreFixture(o => o with
        {
            Engine = new StorageOptions { WriteBufferSize = 4096, BlockCacheBytes = 1 << 20, MaxBytesForLevelBase = 1 << 20 },
        });
        for (int i = 0; i < 300; i++) f.Db.Set(Encoding.ASCII.GetBytes($"key{i:D3}"), new byte[100]);
        f.Store.Engine.Flush();

        var stats = f.Store.Engine.GetStatistics();
        Assert.True(stats.FlushCount > 1, $"a 4 KiB write buffer flushes often; flushed {stats.FlushCount} times");
        Assert.Equal(1L << 20, stats.BlockCacheCapacity);
        Assert.Equal(1L << 20, stats.Levels[1].TargetBytes);
    }
}
