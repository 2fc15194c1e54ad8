namespace TieredKv.Rdb.Tests;

/// <summary>Tests that assert on the process's managed heap run alone: other tests' allocations would count against them.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class MemoryMeasuredCollection
{
    public const string Name = "memory-measured";
}
