using TieredKv.HotTier;
using TieredKv.Keyspace;

namespace TieredKv.Tests.HotTier;

public sealed class HotKeyCacheTests
{
    private static KeyMetadata Str(int size) => new() { Type = KeyType.String, Value = new byte[size] };

    [Fact]
    public void Set_ReplacingAKey_KeepsOneEntryAndOneSlot()
    {
        var cache = new HotKeyCache(1 << 20, 1);
        for (int i = 0; i < 10_000; i++) cache.Set(0, "k"u8, Str(10), promoted: false);
        Assert.Equal(1, cache.Count);
        Assert.Equal(1, cache.ClockSlots);
        Assert.True(cache.TryGet(0, "k"u8, out _));
    }

    [Fact]
    public void SetRemoveCycles_DoNotGrowTheClockRing()
    {
        var cache = new HotKeyCache(1 << 20, 1);
        for (int i = 0; i < 50_000; i++)
        {
            cache.Set(0, "k"u8, Str(10), promoted: false);
            cache.Remove(0, "k"u8);
        }
        Assert.Equal(0, cache.Count);
        Assert.Equal(0, cache.UsedBytes);
        Assert.True(cache.ClockSlots <= 2048, $"{cache.ClockSlots} slots");
    }

    [Fact]
    public void Evict_KeepsUsageWithinBudget_AndPrefersUnusedKeys()
    {
        var cache = new HotKeyCache(64 * 1024, 1);
        cache.Set(0, "hot"u8, Str(100), promoted: false);
        for (int i = 0; i < 2_000; i++)
        {
            cache.TryGet(0, "hot"u8, out _);
            cache.Set(0, System.Text.Encoding.ASCII.GetBytes($"cold{i}"), Str(100), promoted: false);
        }
        Assert.True(cache.UsedBytes <= 64 * 1024);
        Assert.True(cache.Demotions > 0);
        Assert.True(cache.TryGet(0, "hot"u8, out _), "a key used all along stays hot");
    }

    [Fact]
    public void Set_SkipsValuesTooLargeForTheBudget()
    {
        var cache = new HotKeyCache(8 * 1024, 1);
        cache.Set(0, "big"u8, Str(4096), promoted: true);
        Assert.False(cache.TryGet(0, "big"u8, out _));
    }

    [Fact]
    public void Resize_Smaller_DemotesUntilTheNewBudgetFits_EvenReferencedKeys()
    {
        var cache = new HotKeyCache(1 << 20, 1);
        for (int i = 0; i < 2_000; i++) cache.Set(0, System.Text.Encoding.ASCII.GetBytes($"k{i}"), Str(100), promoted: false);
        for (int i = 0; i < 2_000; i += 2) cache.TryGet(0, System.Text.Encoding.ASCII.GetBytes($"k{i}"), out _); // half referenced
        Assert.True(cache.UsedBytes > 200_000);

        cache.Resize(16 * 1024);
        Assert.Equal(16 * 1024, cache.BudgetBytes);
        Assert.InRange(cache.UsedBytes, 1, 16 * 1024);
        Assert.True(cache.Demotions > 0);
    }

    [Fact]
    public void Resize_ToZero_EmptiesTheCacheAndCachesNothingMore_UntilGrownAgain()
    {
        var cache = new HotKeyCache(1 << 20, 1);
        for (int i = 0; i < 100; i++) cache.Set(0, System.Text.Encoding.ASCII.GetBytes($"k{i}"), Str(10), promoted: false);
        cache.Resize(0);
        Assert.Equal(0, cache.Count);
        Assert.Equal(0, cache.UsedBytes);
        cache.Set(0, "k"u8, Str(10), promoted: false);
        Assert.Equal(0, cache.Count);

        cache.Resize(1 << 20);
        cache.Set(0, "k"u8, Str(10), promoted: false);
        Assert.Equal(1, cache.Count);
    }
}
