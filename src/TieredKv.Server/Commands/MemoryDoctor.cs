namespace TieredKv.Server.Commands;

/// <summary>
/// MEMORY DOCTOR's report, with Redis 7.0's texts and thresholds for the checks our numbers support: an almost
/// empty instance, a past peak, allocator (managed heap) fragmentation, big client buffers. The checks Redis
/// makes of RSS against the allocator are left out: the .NET runtime's own memory would always trip them.
/// </summary>
internal static class MemoryDoctor
{
    public static string Report(MemorySnapshot m)
    {
        if (m.Allocated < 5L << 20)
            return "Hi Sam, this instance is empty or is using very little memory, my issues detector can't be used in these conditions. " +
                "Please, leave for your mission on Earth and fill it with some data. The new Sam and I will be back to our programming as soon as I finished rebooting.\n";
        // The process's peak against its current size: the managed heap keeps no peak of its own.
        bool bigPeak = m.Rss > 0 && (double)m.Peak / m.Rss > 1.5;
        bool highAllocatorFragmentation = m.Allocated > 0 && (double)m.HeapSize / m.Allocated > 1.1 && m.HeapSize - m.Allocated > 10L << 20;
        bool bigClientBuffers = m.Clients > 0 && m.ClientBuffers / m.Clients > 200 * 1024;
        if (!bigPeak && !highAllocatorFragmentation && !bigClientBuffers)
            return "Hi Sam, I can't find any memory issue in your instance. I can only account for what occurs on this base.\n";
        var s = new System.Text.StringBuilder("Sam, I detected a few issues in this Redis instance memory implants:\n\n");
        if (bigPeak)
            s.Append(" * Peak memory: In the past this instance used more than 150% the memory that is currently using. The allocator is normally not able to release memory after a peak, so you can expect to see a big fragmentation ratio, however this is actually harmless and is only due to the memory peak, and if the Redis instance Resident Set Size (RSS) is currently bigger than expected, the memory will be used as soon as you fill the Redis instance with more data. If the memory peak was only occasional and you want to try to reclaim memory, please try the MEMORY PURGE command, otherwise the only other option is to shutdown and restart the instance.\n\n");
        if (highAllocatorFragmentation)
            s.Append(" * High allocator fragmentation: This instance has an allocator external fragmentation greater than 1.1. This problem is usually due either to a large peak memory (check if there is a peak memory entry above in the report) or may result from a workload that causes the allocator to fragment memory a lot. You can try enabling 'activedefrag' config option.\n\n");
        if (bigClientBuffers)
            s.Append(" * Big client buffers: The clients output buffers in this instance are greater than 200K per client (on average). This may result from different causes, like Pub/Sub clients subscribed to channels bot not receiving data fast enough, so that data piles on the Redis instance output buffer, or clients sending commands with large replies or very large sequences of commands in the same pipeline. Please use the CLIENT LIST command in order to investigate the issue if it causes problems in your instance, or to understand better why certain clients are using a big amount of memory.\n\n");
        s.Append("I'm here to keep you safe, Sam. I want to help you.\n");
        return s.ToString();
    }
}
