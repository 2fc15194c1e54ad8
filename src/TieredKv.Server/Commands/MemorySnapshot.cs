using System.Diagnostics;
using TieredKv.Server.Dispatch;

namespace TieredKv.Server.Commands;

/// <summary>
/// The process's memory as MEMORY STATS and DOCTOR see it: the managed heap's live bytes stand for Redis's
/// allocated memory (as INFO's used_memory), the heap's size with its free gaps for the allocator's active
/// pages, the committed bytes for its resident ones, the working set for the RSS.
/// </summary>
internal sealed record MemorySnapshot(long Allocated, long HeapSize, long Committed, long Fragmented, long Rss, long Peak, long ClientBuffers, int Clients, long Keys, IReadOnlyList<long> KeysPerDatabase)
{
    public static MemorySnapshot Take(ServerState server)
    {
        var gc = GC.GetGCMemoryInfo();
        using var process = Process.GetCurrentProcess();
        var clients = server.Clients.Values.ToList();
        var keys = server.Store.GetStatistics().KeysPerDatabase;
        return new MemorySnapshot(
            GC.GetTotalMemory(false), gc.HeapSizeBytes, gc.TotalCommittedBytes, gc.FragmentedBytes,
            process.WorkingSet64, process.PeakWorkingSet64,
            clients.Sum(s => s.Outbox?.QueuedBytes ?? 0), clients.Count, keys.Sum(), keys);
    }
}
